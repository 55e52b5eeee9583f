//! Reading organisers' JSON bodies field by field, collecting every problem
//! into the per-field map of a 422 (messages in English: API clients are
//! programs; the back office words each problem in the organiser's
//! language, by field or by the problem's own Fluent message).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::AppError;
use crate::domain::{FieldError, FieldErrors, Language};

/// Why a body was refused, field by field: the English words of the 422,
/// and, for the problems that have one, a Fluent message the back office
/// shows in the organiser's language instead of its own field-wide words.
#[derive(Debug, Default)]
pub struct Refusal {
    pub fields: BTreeMap<String, String>,
    pub worded: FieldErrors,
}

impl Refusal {
    pub fn field(field: &str, message: impl Into<String>) -> Refusal {
        Refusal {
            fields: BTreeMap::from([(field.to_owned(), message.into())]),
            worded: FieldErrors::default(),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        AppError::Validation(refusal.fields)
    }
}

/// PostgreSQL's text cannot hold U+0000: refused as input, not failed on
/// when stored.
pub const NUL_REFUSED: &str = "must not contain the character U+0000";

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
    refusal: Refusal,
}

impl<'a> JsonFields<'a> {
    /// Refuses anything but an object, and any field not in `known`.
    pub fn new(value: &'a Value, known: &[&str]) -> Result<JsonFields<'a>, Refusal> {
        let object = value
            .as_object()
            .ok_or_else(|| Refusal::field("body", "must be a JSON object"))?;
        let mut refusal = Refusal::default();
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            refusal
                .fields
                .insert(key.clone(), "is not a known field".to_owned());
        }
        Ok(JsonFields { object, refusal })
    }

    /// Records the first problem of `field`.
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.refusal
            .fields
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    /// Records the first problem of `field` as a Fluent message: in English
    /// for the API, and kept for the back office to word in its language.
    pub fn refuse(&mut self, field: &str, error: FieldError) {
        if !self.refusal.fields.contains_key(field) {
            self.error(field, super::message(Language::En, &error));
            self.refusal.worded.add(field, error);
        }
    }

    /// `text` if it has at most `max` characters; refused otherwise.
    pub fn at_most(&mut self, field: &str, text: &'a str, max: usize) -> Option<&'a str> {
        if text.chars().count() <= max {
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
            None => {
                self.error(field, "is required");
                None
            }
            Some(Value::String(text)) if text.contains('\0') => {
                self.error(field, NUL_REFUSED);
                None
            }
            Some(Value::String(text)) if !text.trim().is_empty() => Some(text.trim()),
            Some(Value::String(_)) => {
                self.error(field, "must not be empty");
                None
            }
            Some(_) => {
                self.error(field, "must be a string");
                None
            }
        }
    }

    pub fn optional_text(&mut self, field: &str) -> Option<&'a str> {
        match self.present(field) {
            None => None,
            Some(Value::String(text)) if text.contains('\0') => {
                self.error(field, NUL_REFUSED);
                None
            }
            Some(Value::String(text)) => Some(text.trim()),
            Some(_) => {
                self.error(field, "must be a string");
                None
            }
        }
    }

    pub fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let text = self.text(field)?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| self.error(field, "must be a date like 2027-11-22"))
            .ok()
    }

    pub fn datetime(&mut self, field: &str) -> Option<DateTime<Utc>> {
        let text = self.text(field)?;
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| self.error(field, "must be an RFC 3339 time like 2027-11-22T09:00:00Z"))
            .ok()
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
                        self.error(
                            field,
                            "must be a whole number of at least 0, or null for no limit",
                        );
                        Err(())
                    }
                }
            }
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
                self.error(field, "is required");
                None
            }
            Some(_) => {
                self.error(field, "must be a non-empty list of strings");
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
    ) -> Option<Map<String, Value>> {
        let texts = match self.present(field) {
            None => return Some(Map::new()),
            Some(Value::Object(texts)) if texts.values().all(Value::is_string) => texts,
            Some(_) => {
                self.error(field, "must be an object of language code to text");
                return None;
            }
        };
        let mut kept = Map::new();
        let mut refused = false;
        for (code, text) in texts {
            let key = format!("{field}.{code}");
            let text = text.as_str().unwrap_or_default();
            if Language::parse(code).map(|language| language.code()) != Ok(code.as_str()) {
                self.error(&key, "is not a language code: en, fr, es or pt");
                refused = true;
                continue;
            }
            if text.contains('\0') {
                self.error(&key, NUL_REFUSED);
                refused = true;
                continue;
            }
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            if languages.is_some_and(|languages| !languages.contains(code)) {
                self.refuse(&key, FieldError::new("error-language-not-offered"));
                refused = true;
            } else if self.at_most(&key, text, max).is_some() {
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
                self.error(field, format!("cannot be changed from `{stored}`"));
                None
            }
        }
    }

    /// The collected problems, if any.
    pub fn finish(self) -> Result<(), Refusal> {
        if self.refusal.fields.is_empty() {
            Ok(())
        } else {
            Err(self.refusal)
        }
    }
}
