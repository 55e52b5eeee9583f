//! Reading an organiser's question, as `POST` and `PUT
//! /api/v1/events/{slug}/questions…` send it, into a checked set-up. Every
//! problem goes to the per-field map: `choices.<n>.code`, `labels.fr`, …

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use crate::db::categories::Category;
use crate::db::events::Event;
use crate::db::questions::{AskedQuestion, NewQuestion, NewQuestionChoice, QuestionChoice};
use crate::domain::text::Lines;
use crate::domain::{
    FieldError, FieldErrors, Limits, Preset, QuestionCode, QuestionStage, QuestionType, Vocabulary,
};
use crate::registration::RegistrationError;
use crate::registration::questions as questions_use_case;
use crate::web::json_fields::JsonFields;

const LABEL_MAX: usize = 300;
const HELP_MAX: usize = 1000;
const CHOICES_MAX: usize = 100;

/// A choice code: a lower-case letter or digit, then up to 31 lower-case
/// letters, digits, `_` or `-` (the CHECK of the migration).
fn choice_code_ok(code: &str) -> bool {
    let mut chars = code.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && code.len() <= 32
}

pub struct ChoiceSetup {
    pub code: String,
    pub labels: Value,
    pub capacity: Option<i32>,
}

pub struct QuestionSetup {
    pub code: QuestionCode,
    pub kind: QuestionType,
    pub labels: Value,
    pub help: Value,
    pub required: bool,
    pub position: i32,
    pub sensitive: bool,
    pub stage: QuestionStage,
    pub condition: Option<Value>,
    pub limits: Limits,
    pub answers_until: Option<DateTime<Utc>>,
    pub purge_after_days: Option<i32>,
    pub choices: Vec<ChoiceSetup>,
    /// The participant categories asked (codes of the event's); empty:
    /// everyone.
    pub categories: Vec<String>,
}

/// The longest an organiser may keep answers after the event: ten years.
pub const PURGE_AFTER_DAYS_MAX: i32 = 3650;

const FIELDS: &[&str] = &[
    "code",
    "type",
    "labels",
    "help",
    "required",
    "position",
    "sensitive",
    "stage",
    "choices",
    "condition",
    "min",
    "max",
    "answers_until",
    "purge_after_days",
    "categories",
];

impl QuestionSetup {
    /// Reads `body` for `event`; `stored` is the question a `PUT` changes
    /// (its code and type stay), `others` the event's other questions (a
    /// condition names one of them that comes earlier), and `categories`
    /// the event's participant categories, which `categories` may name.
    pub fn parse(
        body: &Value,
        event: &Event,
        stored: Option<&AskedQuestion>,
        others: &[AskedQuestion],
        categories: &[Category],
    ) -> Result<QuestionSetup, FieldErrors> {
        let mut fields = JsonFields::new(body, FIELDS)?;
        let object = body.as_object().cloned().unwrap_or_default();

        let code = match stored {
            Some(stored) => fields.unchanged("code", &stored.question.code),
            None => fields.text("code"),
        }
        .and_then(|code| match QuestionCode::parse(code) {
            Ok(code) => Some(code),
            Err(_) => {
                fields.refuse("code", FieldError::new("error-question-code-invalid"));
                None
            }
        });
        let kind = match stored {
            Some(stored) => fields
                .unchanged("type", stored.question.kind.as_str())
                .and_then(QuestionType::from_stored),
            None => fields.text("type").and_then(|typed| {
                let kind = QuestionType::from_stored(typed);
                if kind.is_none() {
                    let words: Vec<&str> = QuestionType::ALL.iter().map(|t| t.as_str()).collect();
                    let error = FieldError::new("error-question-type-invalid")
                        .with_arg("name", words.join(", "));
                    fields.refuse("type", error);
                }
                kind
            }),
        };
        let labels =
            fields.texts_by_language("labels", Some(&event.languages), LABEL_MAX, Lines::One);
        if labels.as_ref().is_some_and(Map::is_empty) {
            fields.refuse("labels", FieldError::new("error-required"));
        }
        let help = fields.texts_by_language("help", Some(&event.languages), HELP_MAX, Lines::Many);
        let required = fields.bool_or("required", false);
        let sensitive = fields.bool_or("sensitive", false);
        let position = match object.get("position") {
            None | Some(Value::Null) => Some(0),
            Some(value) => {
                let position = value.as_i64().and_then(|n| i32::try_from(n).ok());
                if position.is_none() {
                    fields.refuse("position", FieldError::new("error-answer-number"));
                }
                position
            }
        };
        let stage = match object.get("stage") {
            None | Some(Value::Null) => Some(QuestionStage::Registration),
            Some(value) => {
                let stage = value.as_str().and_then(QuestionStage::from_stored);
                if stage.is_none() {
                    let error = FieldError::new("error-question-stage-invalid");
                    fields.refuse("stage", error);
                }
                stage
            }
        };

        let asked_categories = read_categories(&mut fields, &object, categories);
        let answers_until = fields.optional_datetime("answers_until");
        let purge_after_days = fields
            .optional_whole(
                "purge_after_days",
                0..=PURGE_AFTER_DAYS_MAX,
                "error-purge-days-invalid",
            )
            .ok()
            .flatten();

        let choices = kind.map(|kind| read_choices(&mut fields, &object, kind, event, stored));
        let limits = match kind {
            Some(kind) => read_limits(&mut fields, &object, kind),
            None => Limits::default(),
        };
        let condition = match (&code, position) {
            (Some(code), Some(position)) => {
                read_condition(&mut fields, &object, code.as_str(), position, others)
            }
            _ => None,
        };
        fields.finish()?;
        match (
            code,
            kind,
            labels,
            help,
            position,
            stage,
            choices,
            answers_until,
        ) {
            (
                Some(code),
                Some(kind),
                Some(labels),
                Some(help),
                Some(position),
                Some(stage),
                Some(Some(choices)),
                Ok(answers_until),
            ) => Ok(QuestionSetup {
                code,
                kind,
                labels: Value::Object(labels),
                help: Value::Object(help),
                required,
                position,
                sensitive,
                stage,
                condition,
                limits,
                answers_until,
                purge_after_days,
                choices,
                categories: asked_categories,
            }),
            _ => Err(FieldErrors::single(
                "body",
                FieldError::new("error-json-object"),
            )),
        }
    }

    pub fn new_question(&self, event_id: uuid::Uuid) -> NewQuestion<'_> {
        NewQuestion {
            event_id,
            code: self.code.as_str(),
            kind: self.kind,
            labels: &self.labels,
            help: &self.help,
            required: self.required,
            position: self.position,
            sensitive: self.sensitive,
            stage: self.stage,
            condition: self.condition.as_ref(),
            limits: self.limits.into(),
            answers_until: self.answers_until,
            purge_after_days: self.purge_after_days,
            categories: &self.categories,
        }
    }

    /// The set-up as a question not yet stored (no ids, no place taken),
    /// for a later set-up of the same batch whose condition names it.
    fn as_asked(&self, event_id: uuid::Uuid) -> AskedQuestion {
        AskedQuestion {
            question: self.new_question(event_id).stored_as(uuid::Uuid::nil()),
            choices: self
                .choices
                .iter()
                .map(|choice| QuestionChoice {
                    id: uuid::Uuid::nil(),
                    question_id: uuid::Uuid::nil(),
                    code: choice.code.clone(),
                    labels: choice.labels.clone(),
                    position: 0,
                    capacity: choice.capacity,
                    taken: 0,
                })
                .collect(),
        }
    }

    pub fn new_choices(&self) -> Vec<NewQuestionChoice<'_>> {
        self.choices
            .iter()
            .map(|choice| NewQuestionChoice {
                code: &choice.code,
                labels: &choice.labels,
                capacity: choice.capacity,
            })
            .collect()
    }
}

/// The choices of a choice question (`None` when one was refused); any
/// other type takes none. A held choice may not be left out, and a
/// capacity may not go below the places it holds.
fn read_choices(
    fields: &mut JsonFields<'_>,
    object: &Map<String, Value>,
    kind: QuestionType,
    event: &Event,
    stored: Option<&AskedQuestion>,
) -> Option<Vec<ChoiceSetup>> {
    let given = object.get("choices").filter(|value| !value.is_null());
    if !kind.has_choices() {
        if given.is_some_and(|value| value.as_array().is_none_or(|items| !items.is_empty())) {
            fields.refuse("choices", FieldError::new("error-choices-not-offered"));
            return None;
        }
        return Some(Vec::new());
    }
    let Some(items) = given
        .and_then(Value::as_array)
        .filter(|items| !items.is_empty())
    else {
        fields.refuse("choices", FieldError::new("error-required"));
        return None;
    };
    if items.len() > CHOICES_MAX {
        let error =
            FieldError::new("error-too-many-choices").with_arg("max", CHOICES_MAX.to_string());
        fields.refuse("choices", error);
        return None;
    }
    let mut choices: Vec<ChoiceSetup> = Vec::with_capacity(items.len());
    let mut refused = false;
    for (index, item) in items.iter().enumerate() {
        let at = |name: &str| format!("choices.{index}.{name}");
        let Some(choice) = item.as_object() else {
            fields.refuse(
                &format!("choices.{index}"),
                FieldError::new("error-json-object"),
            );
            refused = true;
            continue;
        };
        for key in choice
            .keys()
            .filter(|key| !["code", "labels", "capacity"].contains(&key.as_str()))
        {
            fields.refuse(&at(key), FieldError::new("error-unknown-field"));
            refused = true;
        }
        let code = choice.get("code").and_then(Value::as_str).map(str::trim);
        let code = match code {
            Some(code) if choice_code_ok(code) => {
                if choices.iter().any(|other| other.code == code) {
                    fields.refuse(&at("code"), FieldError::new("error-choice-repeated"));
                    refused = true;
                }
                code.to_owned()
            }
            _ => {
                fields.refuse(&at("code"), FieldError::new("error-choice-code-invalid"));
                refused = true;
                continue;
            }
        };
        let inner = json!({
            "labels": choice.get("labels").cloned().unwrap_or(Value::Null),
            "capacity": choice.get("capacity").cloned().unwrap_or(Value::Null),
        });
        let mut own = JsonFields::new(&inner, &["labels", "capacity"]).ok()?;
        let labels = own.texts_by_language("labels", Some(&event.languages), LABEL_MAX, Lines::One);
        if labels.as_ref().is_some_and(Map::is_empty) {
            own.refuse("labels", FieldError::new("error-required"));
        }
        let capacity = own.capacity("capacity").ok().flatten();
        let held = stored
            .and_then(|stored| stored.choices.iter().find(|known| known.code == code))
            .map_or(0, |known| known.taken);
        if capacity.is_some_and(|capacity| capacity < held) {
            let error =
                FieldError::new("error-capacity-below-taken").with_arg("taken", held.to_string());
            own.refuse("capacity", error);
        }
        if let Err(errors) = own.finish() {
            for (field, error) in errors.iter() {
                fields.refuse(&at(field), error.clone());
            }
            refused = true;
            continue;
        }
        choices.push(ChoiceSetup {
            code,
            labels: Value::Object(labels.unwrap_or_default()),
            capacity,
        });
    }
    if let Some(stored) = stored {
        for known in &stored.choices {
            if known.taken > 0 && !choices.iter().any(|choice| choice.code == known.code) {
                let error = FieldError::new("error-choice-held")
                    .with_arg("code", known.code.as_str())
                    .with_arg("taken", known.taken.to_string());
                fields.refuse("choices", error);
                refused = true;
            }
        }
    }
    (!refused).then_some(choices)
}

/// `min` and `max`: whole numbers for a number, `YYYY-MM-DD` dates for a
/// date, nothing for the other types.
fn read_limits(
    fields: &mut JsonFields<'_>,
    object: &Map<String, Value>,
    kind: QuestionType,
) -> Limits {
    let given = |name: &str| object.get(name).filter(|value| !value.is_null());
    let mut limits = Limits::default();
    for name in ["min", "max"] {
        let Some(value) = given(name) else { continue };
        match kind {
            QuestionType::Number => match value.as_i64() {
                Some(number) if name == "min" => limits.number.min = Some(number),
                Some(number) => limits.number.max = Some(number),
                None => fields.refuse(name, FieldError::new("error-answer-number")),
            },
            QuestionType::Date => {
                match value
                    .as_str()
                    .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
                {
                    Some(date) if name == "min" => limits.date.min = Some(date),
                    Some(date) => limits.date.max = Some(date),
                    None => fields.refuse(name, FieldError::new("error-answer-date")),
                }
            }
            QuestionType::Text
            | QuestionType::LongText
            | QuestionType::YesNo
            | QuestionType::SingleChoice
            | QuestionType::MultipleChoice
            | QuestionType::Country
            | QuestionType::File => {
                fields.refuse(name, FieldError::new("error-bounds-not-offered"));
            }
        }
    }
    if limits.number.crossed() || limits.date.crossed() {
        fields.refuse("max", FieldError::new("error-bounds-crossed"));
    }
    limits
}

/// `{"question": code, "any_of": [words]}`: the question is one of the
/// event's, comes before this one, and takes those words (its choice
/// codes, or `yes` / `no`).
/// The categories a question is asked of: codes of `categories`, each
/// once, in the event's order; a problem goes under `categories.<n>`.
fn read_categories(
    fields: &mut JsonFields<'_>,
    object: &Map<String, Value>,
    categories: &[Category],
) -> Vec<String> {
    let given = match object.get("categories") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(given)) => given,
        Some(_) => {
            fields.refuse("categories", FieldError::new("error-not-text-list"));
            return Vec::new();
        }
    };
    for (index, code) in given.iter().enumerate() {
        let known = code
            .as_str()
            .is_some_and(|code| categories.iter().any(|category| category.code == code));
        if !known {
            let field = format!("categories.{index}");
            fields.refuse(&field, FieldError::new("error-category-unknown"));
        }
    }
    categories
        .iter()
        .filter(|category| {
            given
                .iter()
                .any(|code| code.as_str() == Some(&category.code))
        })
        .map(|category| category.code.clone())
        .collect()
}

fn read_condition(
    fields: &mut JsonFields<'_>,
    object: &Map<String, Value>,
    code: &str,
    position: i32,
    others: &[AskedQuestion],
) -> Option<Value> {
    let given = object.get("condition").filter(|value| !value.is_null())?;
    let refuse = |fields: &mut JsonFields<'_>, field: &str, id: &'static str| {
        fields.refuse(field, FieldError::new(id));
        None
    };
    let Some(condition) = given.as_object() else {
        return refuse(fields, "condition", "error-json-object");
    };
    if let Some(key) = condition
        .keys()
        .find(|key| !["question", "any_of"].contains(&key.as_str()))
    {
        return refuse(fields, &format!("condition.{key}"), "error-unknown-field");
    }
    let Some(named) = condition.get("question").and_then(Value::as_str) else {
        return refuse(fields, "condition.question", "error-required");
    };
    let parent = others
        .iter()
        .find(|other| other.question.code == named && other.question.code != code);
    let Some(parent) = parent else {
        return refuse(fields, "condition.question", "error-question-unknown");
    };
    let earlier = (parent.question.position, parent.question.code.as_str()) < (position, code);
    if !parent.question.kind.can_be_a_condition() || !earlier {
        return refuse(
            fields,
            "condition.question",
            "error-condition-question-invalid",
        );
    }
    let words: Option<Vec<&str>> = condition
        .get("any_of")
        .and_then(Value::as_array)
        .filter(|words| !words.is_empty())
        .and_then(|words| words.iter().map(Value::as_str).collect());
    let Some(words) = words else {
        return refuse(fields, "condition.any_of", "error-not-text-list");
    };
    // Past `can_be_a_condition`, the parent is a yes/no, which takes its two
    // words, or a choice, which takes its choices' codes.
    let allowed = |word: &str| {
        if parent.question.kind == QuestionType::YesNo {
            word == "yes" || word == "no"
        } else {
            parent.choices.iter().any(|choice| choice.code == word)
        }
    };
    if let Some(word) = words.iter().find(|word| !allowed(word)) {
        let error = FieldError::new("error-choice-unknown-code").with_arg("code", *word);
        fields.refuse("condition.any_of", error);
        return None;
    }
    Some(json!({"question": named, "any_of": words}))
}

/// `{"preset": "<name>"}`, the body of `POST …/question-presets`.
pub fn preset_of(body: &Value) -> Result<Preset, FieldErrors> {
    let mut fields = JsonFields::new(body, &["preset"])?;
    let preset = fields.text("preset").and_then(|name| {
        let preset = Preset::from_stored(name.trim());
        if preset.is_none() {
            let names: Vec<&str> = Preset::ALL.iter().map(|preset| preset.as_str()).collect();
            let error = FieldError::new("error-preset-unknown").with_arg("name", names.join(", "));
            fields.refuse("preset", error);
        }
        preset
    });
    fields.finish()?;
    preset.ok_or_else(|| FieldErrors::single("preset", FieldError::new("error-required")))
}

/// Keeps the texts of `texts` (by language code) in `languages` only: the
/// set-up refuses a text in a language the event lacks.
fn keep_languages(texts: &mut Value, languages: &[String]) {
    if let Some(texts) = texts.as_object_mut() {
        texts.retain(|code, _| languages.contains(code));
    }
}

/// The preset's questions read as set-ups for `event`, placed after
/// `others` (the event's questions). A code the event already asks is
/// refused under `preset`, before anything is written.
pub fn preset_setups(
    preset: Preset,
    event: &Event,
    others: &[AskedQuestion],
) -> Result<Vec<QuestionSetup>, FieldErrors> {
    if let Some(taken) = preset
        .codes()
        .iter()
        .find(|code| others.iter().any(|other| other.question.code == **code))
    {
        let error = FieldError::new("error-preset-code-taken").with_arg("code", *taken);
        return Err(FieldErrors::single("preset", error));
    }
    let after = others
        .iter()
        .map(|other| other.question.position)
        .max()
        .map_or(0, |last| last.saturating_add(1));
    let mut known: Vec<AskedQuestion> = others.to_vec();
    let mut setups = Vec::new();
    for (offset, mut body) in preset
        .questions(event.starts_on, event.ends_on)
        .into_iter()
        .enumerate()
    {
        keep_languages(&mut body["labels"], &event.languages);
        keep_languages(&mut body["help"], &event.languages);
        if let Some(choices) = body["choices"].as_array_mut() {
            for choice in choices {
                keep_languages(&mut choice["labels"], &event.languages);
            }
        }
        let offset = i32::try_from(offset).unwrap_or(i32::MAX);
        body["position"] = json!(after.saturating_add(offset));
        let setup = QuestionSetup::parse(&body, event, None, &known, &[])?;
        known.push(setup.as_asked(event.id));
        setups.push(setup);
    }
    Ok(setups)
}

/// Adds the preset's questions to `event` in one transaction: refused on
/// `preset` when the event already asks one of its codes, even when
/// another organiser added it a moment before.
pub async fn add_preset(
    conn: &mut diesel_async::AsyncPgConnection,
    event: &Event,
    preset: Preset,
    organiser_id: uuid::Uuid,
) -> Result<Vec<AskedQuestion>, RegistrationError> {
    let others = crate::db::questions::of_event(conn, event.id, None).await?;
    let setups = preset_setups(preset, event, &others).map_err(RegistrationError::Invalid)?;
    let questions: Vec<NewQuestion<'_>> = setups
        .iter()
        .map(|setup| setup.new_question(event.id))
        .collect();
    let choices: Vec<Vec<NewQuestionChoice<'_>>> =
        setups.iter().map(QuestionSetup::new_choices).collect();
    let batch: Vec<(&NewQuestion<'_>, &[NewQuestionChoice<'_>])> = questions
        .iter()
        .zip(&choices)
        .map(|(question, choices)| (question, choices.as_slice()))
        .collect();
    questions_use_case::create_questions(conn, event.id, &batch, Some(preset), organiser_id)
        .await?
        .ok_or_else(|| {
            let error = FieldError::new("error-preset-code-taken")
                .with_arg("code", preset.codes().first().copied().unwrap_or_default());
            RegistrationError::Invalid(FieldErrors::single("preset", error))
        })
}
