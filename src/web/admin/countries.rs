//! An event's country quotas: the list, a form to set one, and an import of
//! many at once from a CSV file or pasted lines (`country,capacity`, a
//! header line allowed), applied all together or not at all.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use chrono::Utc;
use diesel_async::AsyncPgConnection;

use super::{Admin, Bar, EventChange, EventPage, Frame, Problems, Section, country_name};
use crate::db::admin as admin_store;
use crate::db::events::Event;
use crate::domain::{CountryCode, FieldError, FieldErrors, Language};
use crate::i18n::Tr;
use crate::registration::admin::QuotaLine;
use crate::registration::{self, RegistrationError};
use crate::web::AppError;

#[derive(Template)]
#[template(path = "admin/countries.html")]
struct CountriesPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    quotas: Vec<Bar>,
    can_change: bool,
    csrf_token: String,
    set_action: String,
    import_action: String,
    countries: Vec<CountryChoice>,
    capacity: String,
    set_problem: Option<String>,
    import_problems: Vec<String>,
    import_lines: String,
}

struct CountryChoice {
    code: &'static str,
    name: &'static str,
    selected: bool,
}

/// What a refused form sends back to the page.
#[derive(Default)]
struct Refused {
    country: String,
    capacity: String,
    set_problem: Option<String>,
    import_problems: Vec<String>,
    import_lines: String,
}

/// The page; with what a refused form sent back, answered with 422.
async fn render(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    event: &Event,
    refused: Option<Refused>,
) -> Result<HttpResponse, AppError> {
    let status = match refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let refused = refused.unwrap_or_default();
    let tr = admin.tr;
    let language = admin.language();
    let quotas = admin_store::country_counts(conn, event.id)
        .await?
        .into_iter()
        .map(|quota| {
            let name = country_name(&quota.country_code, language);
            // Whose quota it is: the country's own, or the event's default.
            let whose = if quota.explicit {
                "admin-quota-own"
            } else {
                "admin-quota-default"
            };
            Bar::new(
                &tr,
                format!("country-{}", quota.country_code),
                format!("{name} ({})", tr.t(whose)),
                quota.capacity,
                quota.taken,
                quota.waiting,
            )
        })
        .collect();
    let base = format!("/admin/events/{}/countries", event.slug);
    let page = CountriesPage {
        frame: admin.frame(
            tr.t("admin-tab-countries"),
            Some((event, Section::Countries)),
        ),
        notice: admin.notice(),
        quotas,
        can_change: admin.can_change(),
        csrf_token: admin.csrf_token(),
        import_action: format!("{base}/import"),
        set_action: base,
        countries: countries_by_name(language, &refused.country),
        capacity: refused.capacity,
        set_problem: refused.set_problem,
        import_problems: refused.import_problems,
        import_lines: refused.import_lines,
        tr,
    };
    admin.render(status, &page)
}

fn countries_by_name(language: Language, selected: &str) -> Vec<CountryChoice> {
    let mut countries: Vec<CountryChoice> = CountryCode::all()
        .map(|code| CountryChoice {
            code: code.as_str(),
            name: code.name(language),
            selected: code.as_str() == selected,
        })
        .collect();
    countries.sort_by_key(|country| country.name.to_lowercase());
    countries
}

/// `GET /admin/events/{slug}/countries`
pub async fn list(EventPage(admin, event, mut conn): EventPage) -> Result<HttpResponse, AppError> {
    render(&admin, &mut conn, &event, None).await
}

/// A capacity as typed: a whole number of at least 0, or empty for no limit.
fn capacity(text: &str) -> Option<Option<i32>> {
    if text.is_empty() {
        return Some(None);
    }
    text.parse::<i32>()
        .ok()
        .filter(|capacity| *capacity >= 0)
        .map(Some)
}

/// `POST /admin/events/{slug}/countries`: one country's quota.
pub async fn set_one(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let mut refused = Refused {
        country: form.text("country").to_owned(),
        capacity: form.text("capacity").to_owned(),
        ..Refused::default()
    };
    let errors = match (
        CountryCode::parse(form.text("country")),
        capacity(form.text("capacity")),
    ) {
        (Err(_), _) => FieldErrors::single("country", FieldError::new("error-country-invalid")),
        (_, None) => FieldErrors::single("capacity", FieldError::new("error-capacity-invalid")),
        (Ok(country), Some(capacity)) => {
            let set = registration::set_country_capacity(
                &mut conn,
                &event,
                country,
                capacity,
                admin.organiser.id,
                Utc::now(),
            )
            .await;
            match set {
                Ok(_) => {
                    let done = format!("/admin/events/{}/countries?done=saved", event.slug);
                    return Ok(admin.see_other(&done));
                }
                Err(RegistrationError::Invalid(errors)) => errors,
                Err(other) => return Err(other.into()),
            }
        }
    };
    refused.set_problem = Some(Problems::of(admin.language(), &errors).messages().join(" "));
    render(&admin, &mut conn, &event, Some(refused)).await
}

/// `POST /admin/events/{slug}/countries/import` (multipart: a file, or
/// lines typed in the page).
pub async fn import(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let tr = admin.tr;
    let (file, typed) = (form.text("file"), form.text("lines"));
    let problems = match (file.is_empty(), typed.is_empty()) {
        // Two sources would leave line numbers ambiguous.
        (false, false) => FieldErrors::single("file", FieldError::new("admin-import-both")),
        (file_empty, _) => {
            let text = if file_empty { typed } else { file };
            match quota_lines(text) {
                Err(problems) => problems,
                Ok(lines) => {
                    let imported = registration::admin::import_country_quotas(
                        &mut conn,
                        &event,
                        &lines,
                        admin.organiser.id,
                        Utc::now(),
                    )
                    .await;
                    match imported {
                        Ok(()) => {
                            let done =
                                format!("/admin/events/{}/countries?done=imported", event.slug);
                            return Ok(admin.see_other(&done));
                        }
                        Err(RegistrationError::Invalid(errors)) => errors,
                        Err(other) => return Err(other.into()),
                    }
                }
            }
        }
    };
    let refused = Refused {
        import_problems: import_problems(&tr, &problems),
        import_lines: typed.to_owned(),
        ..Refused::default()
    };
    render(&admin, &mut conn, &event, Some(refused)).await
}

/// An import's problems in words, line by line in the file's order: the
/// reader's and the use case's are filed under the number of the line that
/// caused them, those of the whole import under `file`.
fn import_problems(tr: &Tr, errors: &FieldErrors) -> Vec<String> {
    let mut problems: Vec<(Option<usize>, String)> = errors
        .iter()
        .map(|(field, error)| {
            let problem = crate::i18n::field_message(tr.language(), error);
            match field.parse::<usize>() {
                Ok(line) => (
                    Some(line),
                    tr.t2("admin-import-line", "line", line, "problem", problem),
                ),
                Err(_) => (None, problem),
            }
        })
        .collect();
    problems.sort_by_key(|(line, _)| *line);
    problems.into_iter().map(|(_, problem)| problem).collect()
}

/// The lines of an import, or the problem of every bad line. Blank lines
/// are skipped, `;` separates like `,` (spreadsheets in French, Spanish
/// and Portuguese save CSV so), and a first line that names its columns
/// (no country code, no number) is a header.
fn quota_lines(text: &str) -> Result<Vec<QuotaLine>, FieldErrors> {
    let mut lines: Vec<QuotaLine> = Vec::new();
    let mut problems = FieldErrors::default();
    let mut first = true;
    for (index, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let number = index + 1;
        let cells: Vec<&str> = line.split([',', ';']).map(str::trim).collect();
        if cells.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        let is_header = first
            && CountryCode::parse(cells[0]).is_err()
            && cells.get(1).is_some_and(|cell| capacity(cell).is_none());
        first = false;
        if is_header {
            continue;
        }
        let problem = match cells[..] {
            [code, typed] => match (CountryCode::parse(code), capacity(typed)) {
                (Err(_), _) => FieldError::new("admin-import-country").with_arg("code", code),
                (_, None) => FieldError::new("error-capacity-invalid"),
                (Ok(country), Some(capacity)) => {
                    match lines.iter().find(|earlier| earlier.country == country) {
                        Some(earlier) => FieldError::new("admin-import-twice")
                            .with_arg("first", earlier.line.to_string()),
                        None => {
                            lines.push(QuotaLine {
                                line: number,
                                country,
                                capacity,
                            });
                            continue;
                        }
                    }
                }
            },
            _ => FieldError::new("admin-import-columns"),
        };
        problems.add(&number.to_string(), problem);
    }
    if lines.is_empty() && problems.is_empty() {
        problems.add("file", FieldError::new("admin-import-empty"));
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    /// Each line as (line number, country code, capacity), or the problems.
    type Parsed = Result<Vec<(usize, &'static str, Option<i32>)>, Vec<String>>;

    fn parsed(text: &str) -> Parsed {
        quota_lines(text)
            .map(|lines| {
                lines
                    .iter()
                    .map(|line| (line.line, line.country.as_str(), line.capacity))
                    .collect()
            })
            .map_err(|errors| import_problems(&Tr::new(Language::En), &errors))
    }

    #[test]
    fn lines_with_or_without_a_header_semicolons_blanks_and_no_limit() {
        assert_eq!(
            parsed("\u{feff}country,capacity\r\nsn, 3\r\n\r\nML;\nBR;12\n"),
            Ok(vec![
                (2, "SN", Some(3)),
                (4, "ML", None),
                (5, "BR", Some(12))
            ])
        );
        assert_eq!(parsed("SN,3"), Ok(vec![(1, "SN", Some(3))]));
    }

    #[test]
    fn every_bad_line_is_named_by_its_number() {
        let problems = parsed("SN,3\nXX,2\nML,-1\nBR\nSN,4\nPE,2,1").unwrap_err();
        assert_eq!(
            problems,
            [
                "Line 2: XX is not a country code.",
                "Line 3: Enter a whole number of at least 0, or leave the field empty for no limit.",
                "Line 4: Write a country code and a capacity, separated by a comma.",
                "Line 5: This country is already on line 1.",
                "Line 6: Write a country code and a capacity, separated by a comma.",
            ]
        );
        assert_eq!(
            parsed("country,capacity\n\n").unwrap_err(),
            ["There is no line to import."]
        );
    }

    /// One line of a generated import, as the organiser's file has it.
    #[derive(Debug, Clone)]
    enum Line {
        Quota {
            code: &'static str,
            capacity: Option<i32>,
        },
        UnknownCountry(String),
        BadCapacity(&'static str, &'static str),
        /// One cell, or three.
        Columns(String),
        Blank(&'static str),
    }

    fn country_code() -> impl Strategy<Value = &'static str> {
        select(
            CountryCode::all()
                .map(|code| code.as_str())
                .collect::<Vec<_>>(),
        )
    }

    fn any_capacity() -> impl Strategy<Value = Option<i32>> {
        prop_oneof![
            Just(None),
            (0..1000).prop_map(Some),
            (0..=i32::MAX).prop_map(Some),
        ]
    }

    fn line() -> impl Strategy<Value = Line> {
        prop_oneof![
            4 => (country_code(), any_capacity())
                .prop_map(|(code, capacity)| Line::Quota { code, capacity }),
            1 => prop_oneof![
                select(vec!["XX", "EU", "UK", "ZZ", "S N", "1A", "ŚN", "Ｓ"]).prop_map(str::to_owned),
                "[A-Z]{3}",
            ]
            .prop_map(Line::UnknownCountry),
            1 => (
                country_code(),
                select(vec!["-1", "x", "1.5", "2147483648", "1e3", "３", "∞"]),
            )
                .prop_map(|(code, capacity)| Line::BadCapacity(code, capacity)),
            1 => country_code().prop_flat_map(|code| {
                select(vec![code.to_owned(), format!("{code},1,2"), format!("{code};;")])
            })
            .prop_map(Line::Columns),
            1 => select(vec!["", "  ", ",", " ; ", "\t"]).prop_map(Line::Blank),
        ]
    }

    /// How a line is written: lower case or not, `,` or `;`, spaces around cells.
    fn written(line: &Line, lower: bool, separator: char, pad: &str) -> String {
        let case = |code: &str| {
            if lower {
                code.to_lowercase()
            } else {
                code.to_owned()
            }
        };
        match line {
            Line::Quota { code, capacity } => {
                let capacity = capacity.map(|c| c.to_string()).unwrap_or_default();
                format!("{pad}{}{pad}{separator}{pad}{capacity}{pad}", case(code))
            }
            Line::UnknownCountry(code) => format!("{code}{separator}3"),
            Line::BadCapacity(code, capacity) => format!("{}{separator}{capacity}", case(code)),
            Line::Columns(text) => text.clone(),
            Line::Blank(text) => (*text).to_owned(),
        }
    }

    /// The line number a problem names ("Line 4: …"), or 0 for the one
    /// problem that names no line.
    fn problem_line(problem: &str) -> usize {
        problem
            .strip_prefix("Line ")
            .and_then(|rest| rest.split_once(':'))
            .and_then(|(number, _)| number.parse().ok())
            .unwrap_or(0)
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_line_by_line(text in any::<String>()) {
            let line_count = text.trim_start_matches('\u{feff}').lines().count();
            match parsed(&text) {
                Ok(lines) => {
                    prop_assert!(!lines.is_empty());
                    prop_assert!(lines.windows(2).all(|pair| pair[0].0 < pair[1].0));
                    prop_assert!(lines.iter().all(|line| (1..=line_count).contains(&line.0)));
                    let mut countries: Vec<&str> = lines.iter().map(|line| line.1).collect();
                    countries.sort_unstable();
                    countries.dedup();
                    prop_assert_eq!(countries.len(), lines.len());
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    for problem in &problems {
                        let line = problem_line(problem);
                        prop_assert!(
                            (1..=line_count).contains(&line) || problems.len() == 1,
                            "{}", problem
                        );
                    }
                }
            }
        }

        #[test]
        fn any_bytes_in_a_file_are_read_or_refused(bytes in vec(any::<u8>(), 0..600)) {
            // As the multipart reader hands a file over: bad UTF-8 replaced.
            let text = String::from_utf8_lossy(&bytes);
            let problems = parsed(&text).err().unwrap_or_default();
            prop_assert!(problems.iter().all(|problem| !problem.is_empty()));
        }

        #[test]
        fn a_generated_quota_file_reads_back_exactly(
            quotas in proptest::sample::subsequence(
                    CountryCode::all().map(|code| code.as_str()).collect::<Vec<_>>(),
                    1..60,
                )
                .prop_shuffle()
                .prop_flat_map(|codes| {
                    let count = codes.len();
                    (Just(codes), vec(any_capacity(), count))
                }),
            header in proptest::option::of(select(vec![
                "country,capacity", "Country;Capacity", "pays,capacité", "país;capacidad",
            ])),
            bom in any::<bool>(),
            crlf in any::<bool>(),
            separator in select(vec![',', ';']),
            lower in any::<bool>(),
            pad in select(vec!["", " ", "\t"]),
        ) {
            let (codes, capacities) = quotas;
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            let end = if crlf { "\r\n" } else { "\n" };
            let mut expected = Vec::new();
            if let Some(header) = header {
                text.push_str(header);
                text.push_str(end);
            }
            for (code, capacity) in codes.iter().zip(&capacities) {
                let line = Line::Quota { code, capacity: *capacity };
                text.push_str(&written(&line, lower, separator, pad));
                text.push_str(end);
                expected.push((expected.len() + 1 + usize::from(header.is_some()), *code, *capacity));
            }
            prop_assert_eq!(parsed(&text), Ok(expected));
        }

        #[test]
        fn every_bad_line_and_only_those_is_named(
            lines in vec(line(), 0..40),
            header in any::<bool>(),
            separator in select(vec![',', ';']),
            lower in any::<bool>(),
        ) {
            let offset = usize::from(header);
            let mut text = String::from(if header { "country,capacity\n" } else { "" });
            let mut accepted: Vec<(usize, &'static str, Option<i32>)> = Vec::new();
            let mut bad_lines = Vec::new();
            for (index, line) in lines.iter().enumerate() {
                let number = index + 1 + offset;
                text.push_str(&written(line, lower, separator, " "));
                text.push('\n');
                match line {
                    Line::Blank(_) => {}
                    Line::Quota { code, capacity } => {
                        if accepted.iter().any(|earlier| earlier.1 == *code) {
                            bad_lines.push(number);
                        } else {
                            accepted.push((number, *code, *capacity));
                        }
                    }
                    _ => bad_lines.push(number),
                }
            }
            let result = parsed(&text).map_err(|problems| {
                problems.iter().map(|problem| problem_line(problem)).collect::<Vec<_>>()
            });
            let expected = match (accepted.is_empty(), bad_lines.is_empty()) {
                (true, true) => Err(vec![0]),
                (false, true) => Ok(accepted),
                (_, false) => Err(bad_lines),
            };
            prop_assert_eq!(result, expected);
        }
    }
}
