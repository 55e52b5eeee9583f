//! The organisers' questions on the registration form: read from the
//! submitted form into the same answers map the JSON API takes, and shown
//! after the built-in fields, each in the delegate's language with its
//! problem next to it and its value kept.

use serde_json::{Map, Value};

use super::view::{Problems, country_choices};
use crate::db::questions::AskedQuestion;
use crate::domain::{Language, QuestionType, answer_field};
use crate::i18n::Tr;
use crate::web::api::question_bodies::text_in;
use crate::web::form::Form;

/// The answers as the form sent them, shaped as the JSON API sends them
/// (yes/no as a boolean, several choices as a list, a number as a number),
/// so that both are parsed by the same rules. What does not read as its
/// type is passed on as typed, and refused by the parser.
pub fn answers_of_form(form: &Form, questions: &[AskedQuestion]) -> Map<String, Value> {
    let mut answers = Map::new();
    for asked in questions {
        let question = &asked.question;
        let name = answer_field(&question.code);
        let typed = form.get(&name).map(str::trim).unwrap_or_default();
        let value = match question.kind {
            QuestionType::MultipleChoice => {
                Value::Array(form.all(&name).into_iter().map(Value::from).collect())
            }
            QuestionType::YesNo => match typed {
                "" => continue,
                "yes" => Value::Bool(true),
                "no" => Value::Bool(false),
                other => Value::from(other),
            },
            QuestionType::Number => match typed {
                "" => continue,
                number => number
                    .parse::<i64>()
                    .map_or_else(|_| Value::from(number), Value::from),
            },
            QuestionType::Text
            | QuestionType::LongText
            | QuestionType::SingleChoice
            | QuestionType::Date
            | QuestionType::Country => Value::from(typed),
        };
        answers.insert(question.code.clone(), value);
    }
    answers
}

/// How a question is asked on the page.
pub struct QuestionField {
    pub name: String,
    /// `text`, `textarea`, `number`, `date`, `select`, `radios` or
    /// `checkboxes`.
    pub widget: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub optional: Option<String>,
    pub error: Option<String>,
    pub value: String,
    pub min: String,
    pub max: String,
    pub options: Vec<QuestionOption>,
}

pub struct QuestionOption {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// A choice with no place left, unless the delegate holds it.
    pub full: bool,
}

impl QuestionField {
    pub fn described_by(&self) -> String {
        super::view::described_by(&self.name, self.hint.is_some(), self.error.is_some())
    }
}

/// The answer as typed or stored, as the page shows it again.
fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        Some(Value::Bool(true)) => "yes".to_owned(),
        Some(Value::Bool(false)) => "no".to_owned(),
        Some(Value::Null | Value::Array(_) | Value::Object(_)) | None => String::new(),
    }
}

/// The form's fields for `questions`, filled in with `answers`.
pub fn question_fields(
    tr: &Tr,
    first: Language,
    questions: &[AskedQuestion],
    answers: &Map<String, Value>,
    problems: &Problems,
) -> Vec<QuestionField> {
    let language = tr.language().code();
    let fallback = first.code();
    questions
        .iter()
        .map(|asked| {
            let question = &asked.question;
            let name = answer_field(&question.code);
            let given = answers.get(&question.code);
            let value = shown(given);
            let chosen = |code: &str| match given {
                Some(Value::Array(items)) => items.iter().any(|item| item.as_str() == Some(code)),
                Some(other) => shown(Some(other)) == code,
                None => false,
            };
            let option = |code: &str, label: String, full: bool| QuestionOption {
                id: format!("{name}-{code}"),
                value: code.to_owned(),
                label,
                checked: chosen(code),
                full: full && !chosen(code),
            };
            let choices = || {
                asked
                    .choices
                    .iter()
                    .map(|choice| {
                        let full = !choice.quota().has_room();
                        option(
                            &choice.code,
                            text_in(&choice.labels, language, fallback).to_owned(),
                            full,
                        )
                    })
                    .collect()
            };
            let (widget, options) = match question.kind {
                QuestionType::Text => ("text", Vec::new()),
                QuestionType::LongText => ("textarea", Vec::new()),
                QuestionType::Number => ("number", Vec::new()),
                QuestionType::Date => ("date", Vec::new()),
                QuestionType::Country => {
                    let options = country_choices(tr.language(), &value)
                        .into_iter()
                        .map(|country| QuestionOption {
                            id: String::new(),
                            value: country.value.to_owned(),
                            label: country.label.to_owned(),
                            checked: country.selected,
                            full: false,
                        })
                        .collect();
                    ("select", options)
                }
                QuestionType::YesNo => (
                    "radios",
                    vec![
                        option("yes", tr.t("answer-yes"), false),
                        option("no", tr.t("answer-no"), false),
                    ],
                ),
                QuestionType::SingleChoice => ("radios", choices()),
                QuestionType::MultipleChoice => ("checkboxes", choices()),
            };
            let help = text_in(&question.help, language, fallback);
            let condition = asked.condition().and_then(|condition| {
                let parent = questions
                    .iter()
                    .find(|q| q.question.code == condition.question)?;
                let words: Vec<String> = condition
                    .any_of
                    .iter()
                    .map(|word| match word.as_str() {
                        "yes" if parent.question.kind == QuestionType::YesNo => tr.t("answer-yes"),
                        "no" if parent.question.kind == QuestionType::YesNo => tr.t("answer-no"),
                        code => parent
                            .choices
                            .iter()
                            .find(|choice| choice.code == code)
                            .map_or_else(
                                || code.to_owned(),
                                |choice| text_in(&choice.labels, language, fallback).to_owned(),
                            ),
                    })
                    .collect();
                Some(tr.t2(
                    "answer-only-if",
                    "question",
                    text_in(&parent.question.labels, language, fallback),
                    "answers",
                    words.join(", ").as_str(),
                ))
            });
            let hint = match (help.is_empty(), condition) {
                (true, None) => None,
                (false, None) => Some(help.to_owned()),
                (true, Some(condition)) => Some(condition),
                (false, Some(condition)) => Some(format!("{condition} {help}")),
            };
            let bound = |number: Option<i64>, date: Option<chrono::NaiveDate>| {
                number
                    .map(|n| n.to_string())
                    .or_else(|| date.map(|d| d.format("%Y-%m-%d").to_string()))
                    .unwrap_or_default()
            };
            QuestionField {
                widget,
                label: text_in(&question.labels, language, fallback).to_owned(),
                hint,
                optional: (!question.required).then(|| tr.t("optional")),
                error: problems.get(&name).map(str::to_owned),
                value,
                min: bound(question.min_number, question.min_date),
                max: bound(question.max_number, question.max_date),
                options,
                name,
            }
        })
        .collect()
}
