//! Attendee lists for visas, badges, interpretation and catering: CSV
//! streamed row by row, and Excel workbooks. Both write the same columns.

mod csv;
mod filter;
mod xlsx;

pub use self::csv::CsvWriter;
pub use self::filter::{ANSWER_PREFIX, FilterError, FilterInput, resolve as resolve_filter};
pub use self::xlsx::write_xlsx;

use std::borrow::Cow;

use chrono_tz::Tz;

use crate::db::attendees::Attendee;
use crate::db::questions::AskedQuestion;
use crate::domain::{CountryCode, Language, QuestionType};

pub const COLUMNS: [&str; 12] = [
    "reference",
    "status",
    "waitlist_position",
    "given_name",
    "family_name",
    "email",
    "country",
    "country_name",
    "organisation",
    "language",
    "sessions",
    "registered_at",
];

/// How the event wants its lists: times in its zone, country names and
/// answers in its first language, and one column per question after
/// [`COLUMNS`].
#[derive(Debug, Clone)]
pub struct ExportStyle {
    pub timezone: Tz,
    pub language: Language,
    /// The event has participant categories: a `category` column (their
    /// codes) follows [`COLUMNS`].
    pub category_column: bool,
    pub questions: Vec<AnswerColumn>,
    /// What a file answer's id is appended to: the organisers' download
    /// address (`{http.public_url}/api/v1/events/{slug}/files/`).
    pub files_url: String,
}

/// A question's column: headed by its code, a choice shown by its label.
#[derive(Debug, Clone)]
pub struct AnswerColumn {
    pub code: String,
    pub kind: QuestionType,
    /// (code, label) of each choice.
    pub choices: Vec<(String, String)>,
}

impl AnswerColumn {
    /// `asked`'s column, its choices named in `language` (else `fallback`).
    pub fn of(asked: &AskedQuestion, language: Language, fallback: Language) -> AnswerColumn {
        AnswerColumn {
            code: asked.question.code.clone(),
            kind: asked.question.kind,
            choices: asked
                .choices
                .iter()
                .map(|choice| {
                    let label = crate::web::api::question_bodies::text_in(
                        &choice.labels,
                        language.code(),
                        fallback.code(),
                    );
                    (choice.code.clone(), label.to_owned())
                })
                .collect(),
        }
    }

    /// A stored answer in words: a choice by its label, yes/no in `language`.
    pub fn answer_text(&self, value: Option<&serde_json::Value>, language: Language) -> String {
        answer_cell(self, value, language, "")
    }
}

/// What an export shows beyond its default: its words (choices, yes/no,
/// statuses, countries) in another of the event's languages, and the
/// answers of sensitive questions, for a role that may read them.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    pub language: Option<Language>,
    pub sensitive: bool,
}

impl ExportStyle {
    /// The style of `event`'s lists, with a column for each of `questions`
    /// (the sensitive ones only when `options` ask for them), in the
    /// event's first language unless `options` name another. Files are
    /// linked under `public_url`.
    pub fn of(
        event: &crate::db::events::Event,
        questions: &[AskedQuestion],
        has_categories: bool,
        public_url: &str,
        options: ExportOptions,
    ) -> ExportStyle {
        let fallback = event.first_language();
        let language = options.language.unwrap_or(fallback);
        ExportStyle {
            timezone: event.time_zone(),
            language,
            category_column: has_categories,
            questions: questions
                .iter()
                .filter(|asked| options.sensitive || !asked.question.sensitive)
                .map(|asked| AnswerColumn::of(asked, language, fallback))
                .collect(),
            files_url: format!("{public_url}/api/v1/events/{}/files/", event.slug),
        }
    }

    /// The header: [`COLUMNS`], `category` when the event has them, then
    /// the questions' codes.
    pub fn header(&self) -> Vec<&str> {
        COLUMNS
            .iter()
            .copied()
            .chain(self.category_column.then_some("category"))
            .chain(self.questions.iter().map(|column| column.code.as_str()))
            .collect()
    }
}

/// An answer as its cell shows it: a file as the link organisers download
/// it from (`files_url` and its id).
fn answer_cell(
    column: &AnswerColumn,
    value: Option<&serde_json::Value>,
    language: Language,
    files_url: &str,
) -> String {
    use serde_json::Value;
    let label = |code: &str| {
        column
            .choices
            .iter()
            .find(|(choice, _)| choice == code)
            .map_or_else(|| code.to_owned(), |(_, label)| label.clone())
    };
    match (column.kind, value) {
        (_, None | Some(Value::Null)) => String::new(),
        (QuestionType::YesNo, Some(Value::Bool(true))) => crate::i18n::t(language, "answer-yes"),
        (QuestionType::YesNo, Some(Value::Bool(false))) => crate::i18n::t(language, "answer-no"),
        (QuestionType::SingleChoice, Some(Value::String(code))) => label(code),
        (QuestionType::File, Some(Value::String(id))) => format!("{files_url}{id}"),
        (QuestionType::MultipleChoice, Some(Value::Array(codes))) => codes
            .iter()
            .filter_map(Value::as_str)
            .map(label)
            .collect::<Vec<_>>()
            .join(", "),
        (_, Some(Value::String(text))) => text.clone(),
        (_, Some(other)) => other.to_string(),
    }
}

/// One attendee as the cells of [`ExportStyle::header`].
pub fn cells(attendee: &Attendee, style: &ExportStyle) -> Vec<String> {
    let country_name = CountryCode::parse(&attendee.country_code)
        .map(|code| code.name(style.language).to_owned())
        .unwrap_or_default();
    let mut cells = vec![
        attendee.reference.clone(),
        attendee.status.as_str().to_owned(),
        attendee
            .waitlist_position
            .map(|position| position.to_string())
            .unwrap_or_default(),
        attendee.given_name.clone(),
        attendee.family_name.clone(),
        attendee.email.clone(),
        attendee.country_code.trim().to_owned(),
        country_name,
        attendee.organisation.clone(),
        attendee.language.clone(),
        attendee.sessions.clone(),
        attendee
            .registered_at
            .with_timezone(&style.timezone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    ];
    if style.category_column {
        cells.push(attendee.category.clone().unwrap_or_default());
    }
    cells.extend(style.questions.iter().map(|column| {
        answer_cell(
            column,
            attendee.answers.get(&column.code),
            style.language,
            &style.files_url,
        )
    }));
    cells
}

/// What a spreadsheet may split a line into cells on: the comma, the
/// semicolon (the list separator of French, Spanish and Portuguese
/// spreadsheets), the tab, and line breaks.
const CELL_SEPARATORS: [char; 5] = [',', ';', '\t', '\r', '\n'];

/// A spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A spreadsheet would run `=HYPERLINK(…)` in a delegate's name as a
/// formula, and one that splits on `;` turns `Awa;=1+1` into a cell
/// `=1+1`. So wherever a cell could start (the field's start, and after
/// each separator a spreadsheet may split on, quotes and spaces skipped as
/// a lenient importer would), a formula start gets a `'` before it, which
/// spreadsheets read as "this is text".
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let mut may_start = true;
    let mut needs_change = false;
    for c in cell.chars() {
        if may_start && FORMULA_STARTS.contains(&c) {
            needs_change = true;
            break;
        }
        may_start = CELL_SEPARATORS.contains(&c) || (may_start && matches!(c, '"' | ' '));
    }
    if !needs_change {
        return Cow::Borrowed(cell);
    }
    let mut neutralised = String::with_capacity(cell.len() + 4);
    let mut may_start = true;
    for c in cell.chars() {
        if may_start && FORMULA_STARTS.contains(&c) {
            neutralised.push('\'');
        }
        neutralised.push(c);
        may_start = CELL_SEPARATORS.contains(&c) || (may_start && matches!(c, '"' | ' '));
    }
    Cow::Owned(neutralised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_starts_are_neutralised_and_other_text_is_untouched() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(start).starts_with('\''), "{start:?}");
        }
        for plain in [
            "Aminata",
            "عائشة",
            "Nguyễn",
            "",
            "a=b",
            "Jean-Pierre",
            "O'Brien",
        ] {
            assert_eq!(neutralise(plain), plain);
        }
    }

    /// The issue's case: split on `;`, the second cell was a live formula.
    #[test]
    fn a_formula_after_a_separator_is_neutralised_too() {
        assert_eq!(neutralise("Awa;=1+1"), "Awa;'=1+1");
        assert_eq!(neutralise("Awa,@SUM(A1)"), "Awa,'@SUM(A1)");
        assert_eq!(neutralise("a\n-1"), "a\n'-1");
        assert_eq!(neutralise("a; \"=1"), "a; \"'=1");
        assert_eq!(neutralise("\t=1"), "'\t'=1");
    }

    fn attendee(given_name: String, family_name: String, organisation: String) -> Attendee {
        Attendee {
            id: uuid::Uuid::nil(),
            reference: "LIM-7K3QX".into(),
            status: crate::domain::RegistrationStatus::Confirmed,
            waitlist_position: None,
            given_name,
            family_name,
            email: "a@example.org".into(),
            country_code: "PE".into(),
            organisation,
            language: "es".into(),
            sessions: "A1, P1".into(),
            answers: serde_json::json!({}),
            registered_at: chrono::DateTime::UNIX_EPOCH,
            queue_seq: 1,
            rank: 0,
            category: None,
        }
    }

    fn hostile_text() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(
                prop_oneof![
                    Just("="),
                    Just("+"),
                    Just("-"),
                    Just("@"),
                    Just("\t"),
                    Just("\r"),
                    Just("\n"),
                    Just(","),
                    Just(";"),
                    Just("\""),
                    Just(" "),
                    Just("'"),
                    Just("Awa"),
                    Just("1+1"),
                    Just("é"),
                    Just("عائشة"),
                ],
                0..12,
            )
            .prop_map(|pieces| pieces.concat()),
            any::<String>(),
        ]
    }

    fn style() -> ExportStyle {
        ExportStyle {
            timezone: chrono_tz::UTC,
            language: Language::Es,
            category_column: false,
            questions: Vec::new(),
            files_url: "http://127.0.0.1/api/v1/events/e/files/".to_owned(),
        }
    }

    proptest! {
        /// However a spreadsheet splits the file (`,`, `;` or tab, and at
        /// every line break), no cell starts like a formula; and the reader
        /// gets the text back with only `'` added.
        #[test]
        fn no_cell_of_a_csv_export_starts_a_formula_however_it_is_split(
            given in hostile_text(),
            family in hostile_text(),
            organisation in hostile_text(),
        ) {
            let row = attendee(given.clone(), family.clone(), organisation.clone());
            let mut writer = CsvWriter::new(style(), false);
            let bytes = writer.rows([&row]).unwrap();
            let text = String::from_utf8(bytes.clone()).unwrap();
            for line in text.split(['\r', '\n']) {
                for separator in [',', ';', '\t'] {
                    for cell in line.split(separator) {
                        let start = cell.trim_start_matches(['"', ' ']);
                        prop_assert!(
                            !start.starts_with(FORMULA_STARTS),
                            "cell {:?} of {:?} split on {:?}", cell, text, separator
                        );
                    }
                }
            }
            let mut reader = ::csv::Reader::from_reader(bytes.as_slice());
            let record = reader.records().next().unwrap().unwrap();
            let given_column = COLUMNS.iter().position(|c| *c == "given_name").unwrap();
            for (column, original) in [
                (given_column, &given),
                (given_column + 1, &family),
                (COLUMNS.iter().position(|c| *c == "organisation").unwrap(), &organisation),
            ] {
                prop_assert_eq!(record[column].replace('\'', ""), original.replace('\'', ""));
            }
        }

        #[test]
        fn every_csv_field_is_quoted(given in hostile_text()) {
            let row = attendee(given, "Diop".into(), String::new());
            let mut writer = CsvWriter::new(style(), false);
            let text = String::from_utf8(writer.rows([&row]).unwrap()).unwrap();
            let header = text.split("\r\n").next().unwrap();
            prop_assert_eq!(header.split(',').count(), COLUMNS.len());
            prop_assert!(header.split(',').all(|h| h.starts_with('"') && h.ends_with('"')));
            prop_assert!(text.ends_with("\"\r\n"));
            let data = &text[header.len() + 2..];
            prop_assert!(data.starts_with('"'));
        }
    }
}
