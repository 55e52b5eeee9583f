//! The JSON shapes of questions, answers and summaries (API.md, "Next wave —
//! Questions"): plain serde structs, so the OpenAPI document can describe
//! them from their types.

use serde::Serialize;
use utoipa::ToSchema;

use super::openapi::schemas;

use crate::db::questions::{AskedQuestion, QuestionChoice};
use crate::domain::{Answers, Condition, Limits};

/// A question as organisers set it up.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionBody<'a> {
    pub code: &'a str,
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::question_type)]
    pub kind: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    pub labels: &'a serde_json::Value,
    #[schema(schema_with = schemas::stored_texts)]
    pub help: &'a serde_json::Value,
    pub required: bool,
    pub position: i32,
    pub sensitive: bool,
    #[schema(schema_with = schemas::question_stage)]
    pub stage: &'a str,
    pub choices: Vec<ChoiceBody<'a>>,
    #[schema(required = true)]
    pub condition: Option<ConditionBody>,
    /// A number's or a date's lower bound, or null.
    pub min: serde_json::Value,
    /// A number's or a date's upper bound, or null.
    pub max: serde_json::Value,
    /// After this a delegate may no longer change the answer, or null.
    #[schema(required = true)]
    pub answers_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Days after the event's end when the answers are deleted, or null.
    #[schema(required = true)]
    pub purge_after_days: Option<i32>,
    /// The participant categories asked; empty: every registration.
    pub categories: &'a [String],
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceBody<'a> {
    pub code: &'a str,
    #[schema(schema_with = schemas::stored_texts)]
    pub labels: &'a serde_json::Value,
    #[schema(required = true)]
    pub capacity: Option<i32>,
    #[schema(required = true)]
    pub remaining: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConditionBody {
    pub question: String,
    pub any_of: Vec<String>,
}

impl From<Condition> for ConditionBody {
    fn from(condition: Condition) -> ConditionBody {
        ConditionBody {
            question: condition.question,
            any_of: condition.any_of,
        }
    }
}

fn choice_body(choice: &QuestionChoice) -> ChoiceBody<'_> {
    ChoiceBody {
        code: &choice.code,
        labels: &choice.labels,
        capacity: choice.capacity,
        remaining: choice.quota().remaining(),
    }
}

pub fn question_body(asked: &AskedQuestion) -> QuestionBody<'_> {
    let question = &asked.question;
    let (min, max) = Limits::from(question.limits).ends_json();
    QuestionBody {
        code: &question.code,
        kind: question.kind.as_str(),
        labels: &question.labels,
        help: &question.help,
        required: question.required,
        position: question.position,
        sensitive: question.sensitive,
        stage: question.stage.as_str(),
        choices: asked.choices.iter().map(choice_body).collect(),
        condition: asked.condition().map(ConditionBody::from),
        min,
        max,
        answers_until: question.answers_until,
        purge_after_days: question.purge_after_days,
        categories: &question.categories,
    }
}

/// `GET …/questions/{code}/summary`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryBody<'a> {
    pub code: &'a str,
    /// Live registrations that answered.
    pub answered: i64,
    pub choices: Vec<ChoiceCountBody<'a>>,
    /// The same counts per country of the delegates (countries without
    /// any left out).
    pub countries: Vec<CountryCountsBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountryCountsBody {
    pub country: String,
    pub choices: Vec<CountryChoiceCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountryChoiceCount {
    pub code: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceCountBody<'a> {
    pub code: &'a str,
    pub count: i32,
    #[schema(required = true)]
    pub capacity: Option<i32>,
    #[schema(required = true)]
    pub remaining: Option<i32>,
}

pub fn summary_body(
    asked: &AskedQuestion,
    answered: i64,
    by_country: Vec<(String, String, i64)>,
) -> SummaryBody<'_> {
    let mut countries: Vec<CountryCountsBody> = Vec::new();
    for (country, code, count) in by_country {
        let choice = CountryChoiceCount { code, count };
        match countries.last_mut() {
            Some(last) if last.country == country => last.choices.push(choice),
            _ => countries.push(CountryCountsBody {
                country,
                choices: vec![choice],
            }),
        }
    }
    SummaryBody {
        countries,
        code: &asked.question.code,
        answered,
        choices: asked
            .choices
            .iter()
            .map(|choice| ChoiceCountBody {
                code: &choice.code,
                count: choice.taken,
                capacity: choice.capacity,
                remaining: choice.quota().remaining(),
            })
            .collect(),
    }
}

/// `GET|PUT /api/v1/registrations/{token}/answers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersBody<'a> {
    /// By question code: a text, a boolean (yes/no), a number, a date, a
    /// country code, or a list of choice codes (multiple choice).
    #[schema(value_type = std::collections::BTreeMap<String, serde_json::Value>)]
    pub answers: &'a Answers,
}

/// A question as the public event JSON lists it: texts in one language
/// (the event's first when the reader's is missing).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicQuestionBody<'a> {
    pub code: &'a str,
    #[serde(rename = "type")]
    #[schema(schema_with = schemas::question_type)]
    pub kind: &'a str,
    pub label: &'a str,
    pub help: &'a str,
    pub required: bool,
    pub position: i32,
    pub choices: Vec<PublicChoiceBody<'a>>,
    #[schema(required = true)]
    pub condition: Option<ConditionBody>,
    /// A number's or a date's lower bound, or null.
    pub min: serde_json::Value,
    /// A number's or a date's upper bound, or null.
    pub max: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicChoiceBody<'a> {
    pub code: &'a str,
    pub label: &'a str,
    #[schema(required = true)]
    pub capacity: Option<i32>,
    #[schema(required = true)]
    pub remaining: Option<i32>,
}

/// The text of `texts` (a map by language code) in `language`, else in
/// `fallback`, else any.
pub fn text_in<'a>(texts: &'a serde_json::Value, language: &str, fallback: &str) -> &'a str {
    let find = |code: &str| texts.get(code).and_then(serde_json::Value::as_str);
    find(language)
        .or_else(|| find(fallback))
        .or_else(|| {
            texts
                .as_object()?
                .values()
                .find_map(serde_json::Value::as_str)
        })
        .unwrap_or("")
}

pub fn public_question_body<'a>(
    asked: &'a AskedQuestion,
    language: &str,
    fallback: &str,
) -> PublicQuestionBody<'a> {
    let full = question_body(asked);
    PublicQuestionBody {
        code: full.code,
        kind: full.kind,
        label: text_in(&asked.question.labels, language, fallback),
        help: text_in(&asked.question.help, language, fallback),
        required: full.required,
        position: full.position,
        choices: asked
            .choices
            .iter()
            .map(|choice| PublicChoiceBody {
                code: &choice.code,
                label: text_in(&choice.labels, language, fallback),
                capacity: choice.capacity,
                remaining: choice.quota().remaining(),
            })
            .collect(),
        condition: full.condition,
        min: full.min,
        max: full.max,
    }
}
