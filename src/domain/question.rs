//! The organisers' own questions and how a delegate's answers to them are
//! read: each answer is parsed against its question's type and limits,
//! answers to a question whose condition is not met are dropped, and every
//! problem is reported under `answers.<code>`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::country::CountryCode;
use super::field_errors::{FieldError, FieldErrors};
use super::text::{self, Lines, TextError};
use super::vocabulary::vocabulary;

vocabulary! {
    /// What kind of answer a question takes.
    pub enum QuestionType {
        Text = "text",
        LongText = "long_text",
        YesNo = "yes_no",
        SingleChoice = "single_choice",
        MultipleChoice = "multiple_choice",
        Number = "number",
        Date = "date",
        Country = "country",
        File = "file",
    }
}

impl QuestionType {
    /// Whether the question offers a list of choices.
    pub fn has_choices(self) -> bool {
        match self {
            QuestionType::SingleChoice | QuestionType::MultipleChoice => true,
            QuestionType::Text
            | QuestionType::LongText
            | QuestionType::YesNo
            | QuestionType::Number
            | QuestionType::Date
            | QuestionType::Country
            | QuestionType::File => false,
        }
    }

    /// Whether another question may be asked only when this one was
    /// answered with one of some words: the words of a choice or yes/no.
    pub fn can_be_a_condition(self) -> bool {
        match self {
            QuestionType::YesNo | QuestionType::SingleChoice | QuestionType::MultipleChoice => true,
            QuestionType::Text
            | QuestionType::LongText
            | QuestionType::Number
            | QuestionType::Date
            | QuestionType::Country
            | QuestionType::File => false,
        }
    }
}

vocabulary! {
    /// When a question is asked: on the registration form, or once the
    /// registration is confirmed (on the private page).
    pub enum QuestionStage {
        Registration = "registration",
        AfterApproval = "after_approval",
    }
}

/// The longest answer to a short text question, in characters.
pub const SHORT_TEXT_MAX: usize = 200;
/// The longest answer to a long text question, in characters.
pub const LONG_TEXT_MAX: usize = 4000;

/// A question's code: a lower-case letter, then up to 31 lower-case
/// letters, digits or underscores. It heads the export's column and names
/// the answer in JSON, so it stays stable when the labels change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuestionCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a code is a lower-case letter, then up to 31 lower-case letters, digits or underscores")]
pub struct QuestionCodeError;

impl QuestionCode {
    pub fn parse(input: &str) -> Result<QuestionCode, QuestionCodeError> {
        let mut chars = input.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if first_ok && rest_ok && input.len() <= 32 {
            Ok(QuestionCode(input.to_owned()))
        } else {
            Err(QuestionCodeError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// "Ask this only if `question` was answered with one of `any_of`"
/// (choice codes, or `yes` / `no`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub question: String,
    pub any_of: Vec<String>,
}

/// What the parser needs of a question; the event's questions are given
/// in their order, and a condition names an earlier question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionRule {
    pub code: String,
    pub kind: QuestionType,
    pub required: bool,
    pub condition: Option<Condition>,
    pub limits: Limits,
    /// Choice codes, for the choice types.
    pub choices: Vec<String>,
    pub stage: QuestionStage,
    /// The participant categories asked (their codes); empty: every
    /// registration.
    pub categories: Vec<String>,
}

impl QuestionRule {
    pub fn new(code: &str, kind: QuestionType) -> QuestionRule {
        QuestionRule {
            code: code.to_owned(),
            kind,
            required: false,
            condition: None,
            limits: Limits::default(),
            choices: Vec::new(),
            stage: QuestionStage::Registration,
            categories: Vec::new(),
        }
    }

    /// Whether this question is put to `asking`, its condition aside.
    pub fn asked_of(&self, asking: Asking<'_>) -> bool {
        asking.is_asked(self.stage, &self.categories)
    }
}

/// Who answers: a registration's participant category (none in an event
/// without categories), and whether the questions asked once approved are
/// open to it ([`RegistrationStatus::answers_after_approval`](crate::domain::RegistrationStatus::answers_after_approval);
/// always, for organisers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asking<'a> {
    pub category: Option<&'a str>,
    pub approved: bool,
}

impl Asking<'_> {
    /// Whether a question of `stage`, asked of `categories` (empty: of
    /// everyone), is put to this registration, its condition aside.
    pub fn is_asked(self, stage: QuestionStage, categories: &[String]) -> bool {
        let stage_open = match stage {
            QuestionStage::Registration => true,
            QuestionStage::AfterApproval => self.approved,
        };
        let category_asked = categories.is_empty()
            || self
                .category
                .is_some_and(|code| categories.iter().any(|asked| asked == code));
        stage_open && category_asked
    }

    /// A new registration, in `category`.
    pub fn registering(category: Option<&str>) -> Asking<'_> {
        Asking {
            category,
            approved: false,
        }
    }
}

/// Where an answer must stay; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}

impl<T: PartialOrd + Copy + std::fmt::Display> Range<T> {
    /// Whether the lower end lies above the upper one.
    pub fn crossed(&self) -> bool {
        matches!((self.min, self.max), (Some(min), Some(max)) if min > max)
    }

    /// Refuses a value outside the range, with the message that names the
    /// end it crossed.
    fn check(&self, value: T, below: &'static str, above: &'static str) -> Result<(), FieldError> {
        if let Some(min) = self.min.filter(|min| value < *min) {
            return Err(FieldError::new(below).with_arg("min", min.to_string()));
        }
        if let Some(max) = self.max.filter(|max| value > *max) {
            return Err(FieldError::new(above).with_arg("max", max.to_string()));
        }
        Ok(())
    }
}

/// A question's limits: numbers for a number question, days for a date
/// question; the other range stays open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub number: Range<i64>,
    pub date: Range<NaiveDate>,
}

impl Limits {
    /// The lower and the upper end as a form or a list writes them, empty
    /// where open.
    pub fn ends_text(&self) -> (String, String) {
        let text = |number: Option<i64>, date: Option<NaiveDate>| {
            number
                .map(|n| n.to_string())
                .or_else(|| date.map(|d| d.format("%Y-%m-%d").to_string()))
                .unwrap_or_default()
        };
        (
            text(self.number.min, self.date.min),
            text(self.number.max, self.date.max),
        )
    }

    /// The lower and the upper end as JSON, `null` where open.
    pub fn ends_json(&self) -> (Value, Value) {
        let json = |number: Option<i64>, date: Option<NaiveDate>| match (number, date) {
            (Some(number), _) => Value::from(number),
            (None, Some(date)) => Value::String(date.format("%Y-%m-%d").to_string()),
            (None, None) => Value::Null,
        };
        (
            json(self.number.min, self.date.min),
            json(self.number.max, self.date.max),
        )
    }
}

/// The JSON field an answer's problem is reported under.
pub fn answer_field(code: &str) -> String {
    format!("answers.{code}")
}

/// The answers to keep, by question code, in the stored (and API) shape:
/// a text, a boolean, a choice code, a list of choice codes in the
/// question's order, a whole number, a `YYYY-MM-DD` date, a country code,
/// a file's id.
pub type Answers = BTreeMap<String, Value>;

/// Reads `given` (question code → JSON value) against `questions`, as
/// `asking` answers them. A question left out, `null`, an empty text or an
/// empty list is not answered. Answers to unknown questions are refused, and
/// so are answers to questions asked once approved before `asking` is; an
/// answer to a question not asked of `asking`'s category, or whose condition
/// is not met, is dropped, whatever it is (a form without scripts shows
/// every question).
pub fn parse_answers(
    questions: &[QuestionRule],
    given: &Map<String, Value>,
    asking: Asking<'_>,
) -> Result<Answers, FieldErrors> {
    let mut errors = FieldErrors::default();
    for (code, value) in given {
        match questions.iter().find(|question| &question.code == code) {
            None => errors.add(
                &answer_field(code),
                FieldError::new("error-question-unknown"),
            ),
            Some(question)
                if question.stage == QuestionStage::AfterApproval
                    && !asking.approved
                    && !value.is_null() =>
            {
                errors.add(
                    &answer_field(code),
                    FieldError::new("error-question-after-approval"),
                );
            }
            Some(_) => {}
        }
    }
    let mut kept = Answers::new();
    for question in questions {
        if !question.asked_of(asking) || !condition_met(question, &kept) {
            continue;
        }
        let field = answer_field(&question.code);
        match parse_one(question, given.get(&question.code)) {
            Ok(Some(value)) => {
                kept.insert(question.code.clone(), value);
            }
            Ok(None) if question.required => {
                errors.add(&field, FieldError::new("error-required"));
            }
            Ok(None) => {}
            Err(error) => errors.add(&field, error),
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(errors)
    }
}

/// Whether `question` is asked, given the answers kept so far (those of
/// earlier questions). A condition on a question that was not asked, not
/// answered or refused is not met.
pub fn condition_met(question: &QuestionRule, kept: &Answers) -> bool {
    let Some(condition) = &question.condition else {
        return true;
    };
    match kept.get(&condition.question) {
        None => false,
        Some(value) => answer_words(value)
            .iter()
            .any(|word| condition.any_of.iter().any(|wanted| wanted == word)),
    }
}

/// The words a condition compares a stored answer with.
fn answer_words(value: &Value) -> Vec<&str> {
    match value {
        Value::Bool(true) => vec!["yes"],
        Value::Bool(false) => vec!["no"],
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        Value::Null | Value::Number(_) | Value::Object(_) => Vec::new(),
    }
}

fn parse_one(question: &QuestionRule, given: Option<&Value>) -> Result<Option<Value>, FieldError> {
    let Some(given) = given.filter(|value| !value.is_null()) else {
        return Ok(None);
    };
    match question.kind {
        QuestionType::Text => text_answer(given, SHORT_TEXT_MAX, Lines::One),
        QuestionType::LongText => text_answer(given, LONG_TEXT_MAX, Lines::Many),
        QuestionType::YesNo => match given {
            Value::Bool(answer) => Ok(Some(Value::Bool(*answer))),
            _ => Err(FieldError::new("error-answer-yes-no")),
        },
        QuestionType::SingleChoice => {
            let Some(code) = trimmed_text(given, "error-choice-unknown")? else {
                return Ok(None);
            };
            if question.choices.iter().any(|choice| choice == code) {
                Ok(Some(Value::String(code.to_owned())))
            } else {
                Err(FieldError::new("error-choice-unknown"))
            }
        }
        QuestionType::MultipleChoice => {
            let items = given
                .as_array()
                .ok_or_else(|| FieldError::new("error-choices-not-list"))?;
            let mut codes = Vec::with_capacity(items.len());
            for item in items {
                let code = item
                    .as_str()
                    .ok_or_else(|| FieldError::new("error-choices-not-list"))?;
                if !question.choices.iter().any(|choice| choice == code) {
                    return Err(FieldError::new("error-choice-unknown"));
                }
                codes.push(code);
            }
            let chosen: Vec<Value> = question
                .choices
                .iter()
                .filter(|choice| codes.contains(&choice.as_str()))
                .map(|choice| Value::String(choice.clone()))
                .collect();
            Ok((!chosen.is_empty()).then_some(Value::Array(chosen)))
        }
        QuestionType::Number => {
            let number = given
                .as_i64()
                .ok_or_else(|| FieldError::new("error-answer-number"))?;
            question.limits.number.check(
                number,
                "error-answer-below-min",
                "error-answer-above-max",
            )?;
            Ok(Some(Value::from(number)))
        }
        QuestionType::Date => {
            let Some(typed) = trimmed_text(given, "error-answer-date")? else {
                return Ok(None);
            };
            let date = NaiveDate::parse_from_str(typed, "%Y-%m-%d")
                .map_err(|_| FieldError::new("error-answer-date"))?;
            question.limits.date.check(
                date,
                "error-answer-date-before",
                "error-answer-date-after",
            )?;
            Ok(Some(Value::String(date.format("%Y-%m-%d").to_string())))
        }
        QuestionType::Country => {
            let Some(typed) = trimmed_text(given, "error-country-invalid")? else {
                return Ok(None);
            };
            let country =
                CountryCode::parse(typed).map_err(|_| FieldError::new("error-country-invalid"))?;
            Ok(Some(Value::String(country.as_str().to_owned())))
        }
        // The id `POST /api/v1/registrations/{token}/files` answered (or the
        // form's upload was given); whose file it is, the use case checks.
        QuestionType::File => {
            let typed = given
                .as_str()
                .ok_or_else(|| FieldError::new("error-answer-file"))?
                .trim();
            if typed.is_empty() {
                return Ok(None);
            }
            let id = Uuid::parse_str(typed).map_err(|_| FieldError::new("error-answer-file"))?;
            Ok(Some(Value::String(id.hyphenated().to_string())))
        }
    }
}

/// The trimmed text of an answer that must be a string (refused with
/// `not_text` otherwise); `None` when it is blank.
fn trimmed_text<'a>(
    given: &'a Value,
    not_text: &'static str,
) -> Result<Option<&'a str>, FieldError> {
    let text = given
        .as_str()
        .ok_or_else(|| FieldError::new(not_text))?
        .trim();
    Ok((!text.is_empty()).then_some(text))
}

fn text_answer(given: &Value, max: usize, lines: Lines) -> Result<Option<Value>, FieldError> {
    let Some(text) = trimmed_text(given, "error-not-text")? else {
        return Ok(None);
    };
    text::check(text, lines).map_err(|problem| match problem {
        TextError::InvisibleCharacter => FieldError::new("error-invalid-character"),
        TextError::LineBreak => FieldError::new("error-line-break"),
    })?;
    if text.chars().count() > max {
        return Err(FieldError::new("error-too-long").with_arg("max", max.to_string()));
    }
    Ok(Some(Value::String(text.to_owned())))
}

/// What an attendee list filtered by `answer.<code>=<word>` looks for in
/// the stored answers to `question`: a JSON value every matching answer
/// contains (`@>`). The words are those of a condition: a choice code, or
/// `yes`/`no`.
pub fn answer_filter(question: &QuestionRule, word: &str) -> Result<Value, FieldError> {
    let refused =
        |words: String| FieldError::new("error-answer-filter-word").with_arg("name", words);
    let word = word.trim();
    match question.kind {
        QuestionType::YesNo => match word {
            "yes" => Ok(Value::Bool(true)),
            "no" => Ok(Value::Bool(false)),
            _ => Err(refused("yes, no".to_owned())),
        },
        QuestionType::SingleChoice | QuestionType::MultipleChoice
            if !question.choices.iter().any(|choice| choice == word) =>
        {
            Err(refused(question.choices.join(", ")))
        }
        QuestionType::SingleChoice => Ok(Value::String(word.to_owned())),
        // One of the answer's choices: an array holding it.
        QuestionType::MultipleChoice => Ok(Value::Array(vec![Value::String(word.to_owned())])),
        QuestionType::Text
        | QuestionType::LongText
        | QuestionType::Number
        | QuestionType::Date
        | QuestionType::Country
        | QuestionType::File => Err(FieldError::new("error-answer-filter-kind")),
    }
}

/// The choice codes a stored answer holds (none for the other types).
pub fn chosen_codes(value: &Value) -> Vec<&str> {
    match value {
        Value::String(code) => vec![code.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Object(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::{select, subsequence};
    use serde_json::json;

    use super::*;

    const CHOICES: [&str; 3] = ["a", "b", "c"];
    const FILE_ID: &str = "0193b4c2-7f3e-4d2a-9c1b-5e6f7a8b9c0d";

    /// The answers the generator draws from: a small pool whose meaning
    /// for each type the model below states by hand.
    fn pool() -> Vec<Value> {
        vec![
            Value::Null,
            json!(""),
            json!("  "),
            json!("a"),
            json!(" b "),
            json!("x"),
            json!("line\nbreak"),
            json!("zero\u{200B}width"),
            json!("é".repeat(201)),
            json!(true),
            json!(false),
            json!(3),
            json!(-1),
            json!(10),
            json!(2.5),
            json!([]),
            json!(["a"]),
            json!(["c", "a", "a"]),
            json!(["x"]),
            json!([1]),
            json!("2027-11-21"),
            json!("2027-13-01"),
            json!("SN"),
            json!(" sn "),
            json!("XX"),
            json!({"a": 1}),
            json!(FILE_ID),
            json!(FILE_ID.to_uppercase()),
        ]
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Expect {
        Empty,
        Valid(Value),
        Invalid,
    }

    /// What each pool value means for a question, written out case by
    /// case rather than by the parser's rules.
    fn expect(question: &QuestionRule, value: Option<&Value>) -> Expect {
        use Expect::{Empty, Invalid, Valid};
        let Some(value) = value else { return Empty };
        if value.is_null() {
            return Empty;
        }
        let text = value.as_str().map(str::trim);
        match question.kind {
            QuestionType::Text | QuestionType::LongText => match text {
                None => Invalid,
                Some("") => Empty,
                Some("line\nbreak") if question.kind == QuestionType::LongText => {
                    Valid(json!("line\nbreak"))
                }
                Some("line\nbreak" | "zero\u{200B}width") => Invalid,
                Some(long)
                    if long.chars().count() == 201 && question.kind == QuestionType::Text =>
                {
                    Invalid
                }
                Some(other) => Valid(json!(other)),
            },
            QuestionType::YesNo => match value {
                Value::Bool(answer) => Valid(json!(answer)),
                _ => Invalid,
            },
            QuestionType::SingleChoice => match text {
                None => Invalid,
                Some("") => Empty,
                Some(code @ ("a" | "b")) => Valid(json!(code)),
                Some(_) => Invalid,
            },
            QuestionType::MultipleChoice => {
                if *value == json!([]) {
                    Empty
                } else if *value == json!(["a"]) {
                    Valid(json!(["a"]))
                } else if *value == json!(["c", "a", "a"]) {
                    Valid(json!(["a", "c"]))
                } else {
                    Invalid
                }
            }
            QuestionType::Number => {
                let Some(number) = value.as_i64() else {
                    return Invalid;
                };
                let low = question.limits.number.min.is_some_and(|min| number < min);
                let high = question.limits.number.max.is_some_and(|max| number > max);
                if low || high {
                    Invalid
                } else {
                    Valid(json!(number))
                }
            }
            QuestionType::Date => match text {
                None => Invalid,
                Some("") => Empty,
                Some("2027-11-21") => {
                    let day = NaiveDate::from_ymd_opt(2027, 11, 21).expect("a day");
                    let early = question.limits.date.min.is_some_and(|min| day < min);
                    let late = question.limits.date.max.is_some_and(|max| day > max);
                    if early || late {
                        Invalid
                    } else {
                        Valid(json!("2027-11-21"))
                    }
                }
                Some(_) => Invalid,
            },
            QuestionType::Country => match text {
                None => Invalid,
                Some("") => Empty,
                Some("SN" | "sn") => Valid(json!("SN")),
                Some(_) => Invalid,
            },
            QuestionType::File => match text {
                None => Invalid,
                Some("") => Empty,
                Some(id) if id.eq_ignore_ascii_case(FILE_ID) => Valid(json!(FILE_ID)),
                Some(_) => Invalid,
            },
        }
    }

    /// The simple model: a question is asked when it has no condition, or
    /// when the question it names was asked and answered validly with one
    /// of the words; a map is accepted when it names no unknown question
    /// and every asked question is answered validly (or left empty when
    /// optional).
    fn model(
        questions: &[QuestionRule],
        given: &Map<String, Value>,
        asking: Asking<'_>,
    ) -> Result<Answers, BTreeSet<String>> {
        fn asked(
            questions: &[QuestionRule],
            given: &Map<String, Value>,
            asking: Asking<'_>,
            index: usize,
        ) -> bool {
            let question = &questions[index];
            let stage_open = question.stage == QuestionStage::Registration || asking.approved;
            let category_asked = question.categories.is_empty()
                || asking
                    .category
                    .is_some_and(|code| question.categories.contains(&code.to_owned()));
            if !stage_open || !category_asked {
                return false;
            }
            let Some(condition) = &question.condition else {
                return true;
            };
            let parent = questions
                .iter()
                .position(|other| other.code == condition.question)
                .expect("conditions name a question");
            if !asked(questions, given, asking, parent) {
                return false;
            }
            let words: Vec<String> =
                match expect(&questions[parent], given.get(&condition.question)) {
                    Expect::Valid(Value::Bool(true)) => vec!["yes".into()],
                    Expect::Valid(Value::Bool(false)) => vec!["no".into()],
                    Expect::Valid(Value::String(code)) => vec![code],
                    Expect::Valid(Value::Array(codes)) => codes
                        .iter()
                        .filter_map(|code| code.as_str().map(str::to_owned))
                        .collect(),
                    Expect::Valid(_) | Expect::Empty | Expect::Invalid => Vec::new(),
                };
            words.iter().any(|word| condition.any_of.contains(word))
        }
        let mut refused: BTreeSet<String> = given
            .iter()
            .filter(|(code, value)| {
                match questions.iter().find(|question| &question.code == *code) {
                    None => true,
                    Some(question) => {
                        question.stage == QuestionStage::AfterApproval
                            && !asking.approved
                            && !value.is_null()
                    }
                }
            })
            .map(|(code, _)| answer_field(code))
            .collect();
        let mut kept = Answers::new();
        for (index, question) in questions.iter().enumerate() {
            if !asked(questions, given, asking, index) {
                continue;
            }
            match expect(question, given.get(&question.code)) {
                Expect::Valid(value) => {
                    kept.insert(question.code.clone(), value);
                }
                Expect::Empty if !question.required => {}
                Expect::Empty | Expect::Invalid => {
                    refused.insert(answer_field(&question.code));
                }
            }
        }
        if refused.is_empty() {
            Ok(kept)
        } else {
            Err(refused)
        }
    }

    fn question_kind() -> impl Strategy<Value = QuestionType> {
        select(QuestionType::ALL.to_vec())
    }

    /// Up to six questions `q0…q5`; a condition names an earlier question
    /// that can be one, with some of its words.
    fn questions() -> impl Strategy<Value = Vec<QuestionRule>> {
        let one = (
            question_kind(),
            any::<bool>(),
            proptest::option::of(0i64..4),
            proptest::option::of(2i64..6),
            proptest::option::of(20u32..23),
            proptest::option::of(20u32..23),
            any::<prop::sample::Index>(),
            subsequence(vec!["a", "b", "c", "yes", "no"], 1..3),
            any::<bool>(),
            any::<bool>(),
            subsequence(vec!["delegate", "press"], 0..3),
        );
        vec(one, 1..7).prop_map(|drawn| {
            let mut questions: Vec<QuestionRule> = Vec::new();
            for (
                n,
                (kind, required, min, max, from, to, parent, words, conditional, later, asked_of),
            ) in drawn.into_iter().enumerate()
            {
                let mut question = QuestionRule::new(&format!("q{n}"), kind);
                question.required = required;
                if later {
                    question.stage = QuestionStage::AfterApproval;
                }
                question.categories = asked_of.into_iter().map(str::to_owned).collect();
                question.limits.number = Range { min, max };
                question.limits.date.min =
                    from.and_then(|day| NaiveDate::from_ymd_opt(2027, 11, day));
                question.limits.date.max =
                    to.and_then(|day| NaiveDate::from_ymd_opt(2027, 11, day));
                if kind.has_choices() {
                    // "c" is offered to multiple choices only, so that a
                    // single choice refuses it.
                    let offered = if kind == QuestionType::MultipleChoice {
                        3
                    } else {
                        2
                    };
                    question.choices = CHOICES[..offered].iter().map(|c| (*c).to_owned()).collect();
                }
                let parents: Vec<&QuestionRule> = questions
                    .iter()
                    .filter(|q| q.kind.can_be_a_condition())
                    .collect();
                if conditional && !parents.is_empty() {
                    let parent = parent.get(&parents);
                    question.condition = Some(Condition {
                        question: parent.code.clone(),
                        any_of: words.into_iter().map(str::to_owned).collect(),
                    });
                }
                questions.push(question);
            }
            questions
        })
    }

    fn answers() -> impl Strategy<Value = Map<String, Value>> {
        let codes = vec!["q0", "q1", "q2", "q3", "q4", "q5", "zz"];
        vec((select(codes), select(pool())), 0..8).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(code, value)| (code.to_owned(), value))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn the_parser_accepts_exactly_what_the_model_accepts(
            questions in questions(),
            given in answers(),
            category in proptest::option::of(select(vec!["delegate", "press", "staff"])),
            approved in any::<bool>(),
        ) {
            let asking = Asking { category, approved };
            let parsed = parse_answers(&questions, &given, asking).map_err(|errors| {
                errors.iter().map(|(field, _)| field.to_owned()).collect::<BTreeSet<_>>()
            });
            prop_assert_eq!(parsed, model(&questions, &given, asking));
        }
    }

    const EVERYONE: Asking<'static> = Asking {
        category: None,
        approved: true,
    };

    #[test]
    fn questions_are_put_by_category_and_after_approval_only_once_approved() {
        let mut press_card = QuestionRule::new("press_card", QuestionType::Text);
        press_card.required = true;
        press_card.categories = vec!["press".to_owned()];
        let mut passport = QuestionRule::new("passport", QuestionType::Text);
        passport.required = true;
        passport.stage = QuestionStage::AfterApproval;
        let questions = [press_card, passport];
        let object = |value: Value| value.as_object().expect("an object").clone();

        // A delegate is not asked for a press card, even a bad one.
        let delegate = Asking::registering(Some("delegate"));
        let kept = parse_answers(&questions, &object(json!({"press_card": 7})), delegate);
        assert_eq!(kept, Ok(Answers::new()));
        // The press is, and must answer.
        let press = Asking::registering(Some("press"));
        let errors = parse_answers(&questions, &Map::new(), press).expect_err("required");
        assert_eq!(
            errors
                .get("answers.press_card")
                .map(|error| error.message_id),
            Some("error-required")
        );
        // Nobody answers the passport question before being approved…
        let given = object(json!({"passport": "AB123"}));
        let errors = parse_answers(&questions, &given, delegate).expect_err("not yet");
        assert_eq!(
            errors.get("answers.passport").map(|error| error.message_id),
            Some("error-question-after-approval")
        );
        // …and must, once approved.
        let approved = Asking {
            category: Some("delegate"),
            approved: true,
        };
        assert_eq!(
            parse_answers(&questions, &given, approved),
            Ok(Answers::from([("passport".to_owned(), json!("AB123"))]))
        );
        assert!(parse_answers(&questions, &Map::new(), approved).is_err());
    }

    #[test]
    fn an_answer_to_a_question_not_asked_is_dropped_even_when_invalid() {
        let mut hotel = QuestionRule::new("hotel", QuestionType::YesNo);
        hotel.required = true;
        let mut nights = QuestionRule::new("nights", QuestionType::Number);
        nights.required = true;
        nights.condition = Some(Condition {
            question: "hotel".to_owned(),
            any_of: vec!["yes".to_owned()],
        });
        let questions = [hotel, nights];
        let given = json!({"hotel": false, "nights": "many"});
        let kept = parse_answers(&questions, given.as_object().expect("an object"), EVERYONE);
        assert_eq!(
            kept,
            Ok(Answers::from([("hotel".to_owned(), json!(false))]))
        );

        let given = json!({"hotel": true, "nights": "many"});
        let errors = parse_answers(&questions, given.as_object().expect("an object"), EVERYONE)
            .expect_err("refused");
        assert_eq!(
            errors.get("answers.nights").map(|error| error.message_id),
            Some("error-answer-number")
        );
    }

    #[test]
    fn question_codes_are_short_lower_case_words() {
        assert!(QuestionCode::parse("diet").is_ok());
        assert!(QuestionCode::parse("arrival_2").is_ok());
        for bad in [
            "",
            "Diet",
            "2diet",
            "diet-x",
            "d".repeat(33).as_str(),
            "régime",
        ] {
            assert_eq!(QuestionCode::parse(bad), Err(QuestionCodeError), "{bad}");
        }
    }
}
