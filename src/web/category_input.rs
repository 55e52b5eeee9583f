//! Reading an organiser's participant category, as `POST` and `PUT
//! /api/v1/events/{slug}/categories…` send it and the back office's form
//! gives it, into a checked set-up. Every problem goes to the per-field
//! map: `code`, `names.fr`, `capacity`, …

use serde_json::{Map, Value};

use crate::db::categories::{Category, CategoryChanges};
use crate::db::events::Event;
use crate::domain::text::Lines;
use crate::domain::{CategoryCode, FieldError, FieldErrors};
use crate::web::json_fields::JsonFields;

const NAME_MAX: usize = 100;

/// A new category's fields; a change takes all of them but the code.
const FIELDS: &[&str] = &[
    "code",
    "names",
    "counts_in_quotas",
    "capacity",
    "public",
    "position",
    "needs_approval",
];

/// A category as an organiser set it up.
pub struct CategorySetup {
    pub code: CategoryCode,
    pub changes: CategoryChanges,
}

impl CategorySetup {
    /// Reads `body` for `event`; `stored` is the category a `PUT` changes
    /// (its code stays, and is not part of the body). Left out:
    /// `counts_in_quotas` and `public` are true, `needs_approval` false,
    /// `capacity` unlimited, `position` 0.
    pub fn parse(
        body: &Value,
        event: &Event,
        stored: Option<&Category>,
    ) -> Result<CategorySetup, FieldErrors> {
        let known = if stored.is_some() {
            &FIELDS[1..]
        } else {
            FIELDS
        };
        let mut fields = JsonFields::new(body, known)?;
        let code = match stored {
            Some(stored) => Some(stored.code.as_str()),
            None => fields.text("code"),
        }
        .and_then(|code| match CategoryCode::parse(code) {
            Ok(code) => Some(code),
            Err(_) => {
                fields.refuse("code", FieldError::new("error-category-code-invalid"));
                None
            }
        });
        let names = fields.texts_by_language("names", Some(&event.languages), NAME_MAX, Lines::One);
        if names.as_ref().is_some_and(Map::is_empty) {
            fields.refuse("names", FieldError::new("error-required"));
        }
        let counts_in_quotas = fields.bool_or("counts_in_quotas", true);
        let public = fields.bool_or("public", true);
        let needs_approval = fields.bool_or("needs_approval", false);
        let capacity = fields.capacity("capacity");
        let position = fields
            .optional_whole(
                "position",
                0..=i32::from(u16::MAX),
                "error-position-invalid",
            )
            .map(Option::unwrap_or_default);
        fields.finish()?;
        match (code, names, capacity, position) {
            (Some(code), Some(names), Ok(capacity), Ok(position)) => Ok(CategorySetup {
                code,
                changes: CategoryChanges {
                    names: Value::Object(names),
                    counts_in_quotas,
                    capacity,
                    public,
                    position,
                    needs_approval,
                },
            }),
            _ => Err(FieldErrors::single(
                "body",
                FieldError::new("error-json-object"),
            )),
        }
    }
}
