//! Reading organisers' JSON bodies field by field, collecting every problem
//! as a message id into the per-field map of a 422 (worded in English for
//! API clients, in the organiser's language by the back office).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::domain::text::{self, Lines, TextError};
use crate::domain::{FieldError, FieldErrors, Language, Vocabulary};

/// A JSON number that is a whole number, however it is written (`25` or
/// `25.0`: JSON Schema's `integer` is both).
fn whole_number(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|number| number.fract() == 0.0 && number.abs() < 2f64.powi(53))
            .map(|number| number as i64)
    })
}

pub struct JsonFields<'a> {
    object: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl<'a> JsonFields<'a> {
    /// Refuses anything but an object, and any field not in `known`.
    pub fn new(value: &'a Value, known: &[&str]) -> Result<JsonFields<'a>, FieldErrors> {
        let object = value
            .as_object()
            .ok_or_else(|| FieldErrors::single("body", FieldError::new("error-json-object")))?;
        let mut errors = FieldErrors::default();
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            errors.add(key, FieldError::new("error-unknown-field"));
        }
        Ok(JsonFields { object, errors })
    }

    /// Records the first problem of `field`.
    pub fn refuse(&mut self, field: &str, error: FieldError) {
        self.errors.add(field, error);
    }

    fn refuse_with(&mut self, field: &str, message_id: &'static str) {
        self.refuse(field, FieldError::new(message_id));
    }

    /// `text` if it has at most `max` characters; refused otherwise.
    /// `text` if it has at most `max` characters, none of them invisible
    /// and, for a one-line text, no line break; refused otherwise.
    pub fn at_most(
        &mut self,
        field: &str,
        text: &'a str,
        max: usize,
        lines: Lines,
    ) -> Option<&'a str> {
        if let Err(problem) = text::check(text, lines) {
            let error = match problem {
                TextError::InvisibleCharacter => FieldError::new("error-invalid-character"),
                TextError::LineBreak => FieldError::new("error-line-break"),
            };
            self.refuse(field, error);
            None
        } else if text.chars().count() <= max {
            Some(text)
        } else {
            let error = FieldError::new("error-text-too-long").with_arg("max", max.to_string());
            self.refuse(field, error);
            None
        }
    }

    fn present(&self, field: &str) -> Option<&'a Value> {
        self.object.get(field).filter(|value| !value.is_null())
    }

    pub fn text(&mut self, field: &str) -> Option<&'a str> {
        match self.present(field) {
            Some(Value::String(text)) if !text.trim().is_empty() => Some(text.trim()),
            None | Some(Value::String(_)) => {
                self.refuse_with(field, "error-required");
                None
            }
            Some(_) => {
                self.refuse_with(field, "error-not-text");
                None
            }
        }
    }

    pub fn optional_text(&mut self, field: &str) -> Option<&'a str> {
        match self.present(field) {
            None => None,
            Some(Value::String(text)) => Some(text.trim()),
            Some(_) => {
                self.refuse_with(field, "error-not-text");
                None
            }
        }
    }

    pub fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let text = self.text(field)?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| self.refuse_with(field, "error-date-invalid"))
            .ok()
    }

    pub fn datetime(&mut self, field: &str) -> Option<DateTime<Utc>> {
        let text = self.text(field)?;
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| self.refuse_with(field, "error-time-invalid"))
            .ok()
    }

    /// An RFC 3339 moment, or null/absent for none. `Err(())` when it
    /// was given but wrong (the error is recorded).
    pub fn optional_datetime(&mut self, field: &str) -> Result<Option<DateTime<Utc>>, ()> {
        match self.present(field) {
            None => Ok(None),
            Some(_) => self.datetime(field).map(Some).ok_or(()),
        }
    }

    /// A capacity: a whole number ≥ 0, or null/absent for "no limit".
    /// `Err(())` when it was given but wrong (the error is recorded).
    pub fn capacity(&mut self, field: &str) -> Result<Option<i32>, ()> {
        match self.present(field) {
            None => Ok(None),
            Some(value) => {
                match whole_number(value).and_then(|number| i32::try_from(number).ok()) {
                    Some(number) if number >= 0 => Ok(Some(number)),
                    _ => {
                        self.refuse_with(field, "error-capacity-invalid");
                        Err(())
                    }
                }
            }
        }
    }

    /// A whole number within `range`, or null/absent for none; refused
    /// with `message_id` (given the range's `min` and `max`) otherwise.
    pub fn optional_whole(
        &mut self,
        field: &str,
        range: std::ops::RangeInclusive<i32>,
        message_id: &'static str,
    ) -> Result<Option<i32>, ()> {
        let Some(value) = self.present(field) else {
            return Ok(None);
        };
        match whole_number(value).and_then(|number| i32::try_from(number).ok()) {
            Some(number) if range.contains(&number) => Ok(Some(number)),
            _ => {
                let error = FieldError::new(message_id)
                    .with_arg("min", range.start().to_string())
                    .with_arg("max", range.end().to_string());
                self.refuse(field, error);
                Err(())
            }
        }
    }

    /// true or false, or null/absent for none.
    pub fn optional_bool(&mut self, field: &str) -> Result<Option<bool>, ()> {
        match self.present(field) {
            None => Ok(None),
            Some(Value::Bool(value)) => Ok(Some(*value)),
            Some(_) => {
                self.refuse_with(field, "error-not-boolean");
                Err(())
            }
        }
    }

    /// true or false, `default` when null/absent (or refused).
    pub fn bool_or(&mut self, field: &str, default: bool) -> bool {
        self.optional_bool(field).ok().flatten().unwrap_or(default)
    }

    /// One of a vocabulary's words, or null/absent for none; refused with
    /// `message_id` otherwise.
    pub fn optional_word<W: Vocabulary>(
        &mut self,
        field: &str,
        message_id: &'static str,
    ) -> Result<Option<W>, ()> {
        match self.present(field) {
            None => Ok(None),
            Some(value) => match value.as_str().and_then(W::from_stored) {
                Some(word) => Ok(Some(word)),
                None => {
                    self.refuse_with(field, message_id);
                    Err(())
                }
            },
        }
    }

    pub fn strings(&mut self, field: &str) -> Option<Vec<&'a str>> {
        match self.present(field) {
            Some(Value::Array(items))
                if !items.is_empty() && items.iter().all(Value::is_string) =>
            {
                Some(items.iter().filter_map(Value::as_str).collect())
            }
            None => {
                self.refuse_with(field, "error-required");
                None
            }
            Some(_) => {
                self.refuse_with(field, "error-not-text-list");
                None
            }
        }
    }

    /// A text per language, `{"fr": "…", "es": "…"}`, each of at most `max`
    /// characters and in one of `languages` (unchecked when `None`: the
    /// languages were refused themselves). An empty text is left out, so that
    /// its language shows the default text; a problem is filed under
    /// `field.code`, next to the text it is about.
    pub fn texts_by_language(
        &mut self,
        field: &str,
        languages: Option<&[String]>,
        max: usize,
        lines: Lines,
    ) -> Option<Map<String, Value>> {
        let texts = match self.present(field) {
            None => return Some(Map::new()),
            Some(Value::Object(texts)) if texts.values().all(Value::is_string) => texts,
            Some(_) => {
                self.refuse_with(field, "error-not-text-map");
                return None;
            }
        };
        let mut kept = Map::new();
        let mut refused = false;
        for (code, text) in texts {
            let key = format!("{field}.{code}");
            // A key that is no language code is refused even with an empty
            // text: the document lists the codes a key may be.
            if Language::parse(code).map(|language| language.code()) != Ok(code.as_str()) {
                self.refuse_with(&key, "error-language-not-offered");
                refused = true;
                continue;
            }
            let text = text.as_str().unwrap_or_default().trim();
            if text.is_empty() {
                continue;
            }
            if languages.is_some_and(|languages| !languages.contains(code)) {
                self.refuse_with(&key, "error-language-not-offered");
                refused = true;
            } else if self.at_most(&key, text, max, lines).is_some() {
                kept.insert(code.clone(), Value::from(text));
            } else {
                refused = true;
            }
        }
        (!refused).then_some(kept)
    }

    /// A field that cannot change once set: absent means the stored value;
    /// anything but the stored value is refused.
    pub fn unchanged(&mut self, field: &str, stored: &'a str) -> Option<&'a str> {
        match self.present(field) {
            None => Some(stored),
            Some(Value::String(text)) if text.trim() == stored => Some(stored),
            Some(_) => {
                let error = FieldError::new("error-unchangeable").with_arg("code", stored);
                self.refuse(field, error);
                None
            }
        }
    }

    /// The collected problems, if any.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}
