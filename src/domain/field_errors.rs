//! What was wrong with a form or JSON body, field by field: a message id for
//! the delegate's language plus its arguments. The web layer renders it as
//! HTML next to each field or as the `fields` map of a JSON error.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub message_id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(message_id: &'static str) -> FieldError {
        FieldError {
            message_id,
            args: Vec::new(),
        }
    }

    pub fn with_arg(mut self, name: &'static str, value: impl Into<String>) -> FieldError {
        self.args.push((name, value.into()));
        self
    }
}

/// Field name → the first problem found with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn single(field: &str, error: FieldError) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add(field, error);
        errors
    }

    /// Keeps the first error of a field: it is the one to fix first.
    pub fn add(&mut self, field: &str, error: FieldError) {
        if !self.0.contains_key(field) {
            self.0.insert(field.to_owned(), error);
        }
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.0.iter().map(|(field, error)| (field.as_str(), error))
    }
}
