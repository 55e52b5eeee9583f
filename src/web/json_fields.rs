//! Reading organisers' JSON bodies field by field, collecting every problem
//! into the per-field map of a 422 (messages in English: API clients are
//! programs, and the back office has its own translated forms).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::AppError;

pub struct JsonFields<'a> {
    object: &'a Map<String, Value>,
    errors: BTreeMap<String, String>,
}

impl<'a> JsonFields<'a> {
    /// Refuses anything but an object, and any field not in `known`.
    pub fn new(value: &'a Value, known: &[&str]) -> Result<JsonFields<'a>, AppError> {
        let object = value
            .as_object()
            .ok_or_else(|| AppError::field("body", "must be a JSON object"))?;
        let mut errors = BTreeMap::new();
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            errors.insert(key.clone(), "is not a known field".to_owned());
        }
        Ok(JsonFields { object, errors })
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
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
            Some(value) => match value.as_i64().and_then(|number| i32::try_from(number).ok()) {
                Some(number) if number >= 0 => Ok(Some(number)),
                _ => {
                    self.error(
                        field,
                        "must be a whole number of at least 0, or null for no limit",
                    );
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
                self.error(field, "is required");
                None
            }
            Some(_) => {
                self.error(field, "must be a non-empty list of strings");
                None
            }
        }
    }

    pub fn map_of_texts(&mut self, field: &str) -> Option<Map<String, Value>> {
        match self.present(field) {
            None => Some(Map::new()),
            Some(Value::Object(map)) if map.values().all(Value::is_string) => Some(map.clone()),
            Some(_) => {
                self.error(field, "must be an object of language code to text");
                None
            }
        }
    }

    /// The collected problems as a 422, if any.
    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.errors))
        }
    }
}
