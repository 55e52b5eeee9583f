//! The organisers' questions on the registration form: read from the
//! submitted form into the same answers map the JSON API takes, and shown
//! after the built-in fields, each in the delegate's language with its
//! problem next to it and its value kept.

use serde_json::{Map, Value};

use super::view::{Problems, country_choices};
use crate::db::questions::AskedQuestion;
use crate::domain::{
    FieldErrors, Language, Limits, QuestionType, Upload, answer_field, size_words,
};
use crate::i18n::Tr;
use crate::web::api::question_bodies::text_in;
use crate::web::form::Form;

/// What a form's answers are made of: the answers map, the files sent
/// with them (a file answer names its upload's id), and the files refused.
pub struct FormAnswers {
    pub answers: Map<String, Value>,
    pub uploads: Vec<Upload>,
    pub refused: FieldErrors,
}

/// The answers as the form sent them, shaped as the JSON API sends them
/// (yes/no as a boolean, several choices as a list, a number as a number,
/// a file as the id of the upload made of it), so that both are parsed by
/// the same rules. What does not read as its type is passed on as typed,
/// and refused by the parser. A file question whose input was left empty
/// keeps its answer in `kept` (the private page's stored answers); a file
/// that is empty, too big (`max_bytes`) or of another kind is refused.
pub fn answers_of_form(
    form: &Form,
    questions: &[AskedQuestion],
    kept: &Map<String, Value>,
    max_bytes: usize,
) -> FormAnswers {
    let mut answers = Map::new();
    let mut uploads = Vec::new();
    let mut refused = FieldErrors::default();
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
            QuestionType::File => match form.file(&name) {
                Some(bytes) => match Upload::new(&question.code, bytes.to_vec(), max_bytes) {
                    Ok(upload) => {
                        let id = Value::from(upload.id.hyphenated().to_string());
                        uploads.push(upload);
                        id
                    }
                    Err(error) => {
                        refused.add(&name, error);
                        continue;
                    }
                },
                None => match kept.get(&question.code) {
                    Some(stored) => stored.clone(),
                    None => continue,
                },
            },
            QuestionType::Text
            | QuestionType::LongText
            | QuestionType::SingleChoice
            | QuestionType::Date
            | QuestionType::Country => Value::from(typed),
        };
        answers.insert(question.code.clone(), value);
    }
    FormAnswers {
        answers,
        uploads,
        refused,
    }
}

/// Whether the form asks for a file, and so must be sent as
/// `multipart/form-data`.
pub fn asks_for_a_file(questions: &[AskedQuestion]) -> bool {
    questions
        .iter()
        .any(|asked| asked.question.kind == QuestionType::File)
}

/// How a question is asked on the page.
pub struct QuestionField {
    pub name: String,
    /// `text`, `textarea`, `number`, `date`, `select`, `radios`,
    /// `checkboxes` or `file`.
    pub widget: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub optional: Option<String>,
    pub error: Option<String>,
    pub value: String,
    pub min: String,
    pub max: String,
    pub options: Vec<QuestionOption>,
    /// The file already sent for a file question.
    pub download: Option<FileLink>,
    /// The answer may no longer be changed by the delegate: shown disabled.
    pub closed: bool,
}

pub struct FileLink {
    pub url: String,
    pub label: String,
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

/// The form's fields for `questions`, filled in with `answers`;
/// `download` gives the address of a file question's stored file.
pub fn question_fields(
    tr: &Tr,
    first: Language,
    questions: &[AskedQuestion],
    answers: &Map<String, Value>,
    problems: &Problems,
    file_max_bytes: usize,
    download: &dyn Fn(&str) -> Option<String>,
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
                            value: country.value.into_owned(),
                            label: country.label.into_owned(),
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
                QuestionType::File => ("file", Vec::new()),
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
            let mut hint = match (help.is_empty(), condition) {
                (true, None) => None,
                (false, None) => Some(help.to_owned()),
                (true, Some(condition)) => Some(condition),
                (false, Some(condition)) => Some(format!("{condition} {help}")),
            };
            let download = match question.kind {
                QuestionType::File => download(&question.code).map(|url| FileLink {
                    url,
                    label: tr.t("answer-file-current"),
                }),
                QuestionType::Text
                | QuestionType::LongText
                | QuestionType::YesNo
                | QuestionType::SingleChoice
                | QuestionType::MultipleChoice
                | QuestionType::Number
                | QuestionType::Date
                | QuestionType::Country => None,
            };
            if question.kind == QuestionType::File {
                // A browser never sends a chosen file again: after a refusal
                // the delegate must choose it once more.
                let mut words = vec![tr.t1(
                    "answer-file-kinds",
                    "max",
                    size_words(file_max_bytes).as_str(),
                )];
                if !problems.is_empty() && download.is_none() {
                    words.push(tr.t("answer-file-again"));
                }
                words.extend(hint.take());
                hint = Some(words.join(" "));
            }
            let (min, max) = Limits::from(question.limits).ends_text();
            QuestionField {
                widget,
                label: text_in(&question.labels, language, fallback).to_owned(),
                hint,
                optional: (!question.required).then(|| tr.t("optional")),
                error: problems.get(&name).map(str::to_owned),
                value,
                min,
                max,
                options,
                download,
                closed: false,
                name,
            }
        })
        .collect()
}

/// Shows the fields of questions that no longer take a delegate's change
/// (`closed` gives the closing time in words) as disabled, the closing
/// time in their hint. `fields` are [`question_fields`] of `questions`.
pub fn close_fields(
    tr: &Tr,
    questions: &[AskedQuestion],
    fields: &mut [QuestionField],
    closed: &dyn Fn(&AskedQuestion) -> Option<String>,
) {
    for (asked, field) in questions.iter().zip(fields.iter_mut()) {
        if let Some(date) = closed(asked) {
            let note = tr.t1("manage-answers-closed", "time", date.as_str());
            field.hint = Some(match field.hint.take() {
                Some(hint) => format!("{note} {hint}"),
                None => note,
            });
            field.closed = true;
        }
    }
}

/// Puts back the stored answers of the questions `closed` names in the
/// answers a form sent: a disabled field sends nothing, and its answer
/// stays as it was.
pub fn keep_closed_answers(
    answers: &mut Map<String, Value>,
    questions: &[AskedQuestion],
    stored: &Map<String, Value>,
    closed: &dyn Fn(&AskedQuestion) -> bool,
) {
    for asked in questions.iter().filter(|asked| closed(asked)) {
        let code = &asked.question.code;
        match stored.get(code) {
            Some(value) => answers.insert(code.clone(), value.clone()),
            None => answers.remove(code),
        };
    }
}
