//! What several pages show the same way: sessions by day, the country and
//! language choices, places left, and the problems of a submitted form.

use std::borrow::Cow;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::db::events::{Event, Session};
use crate::domain::{CountryCode, FieldErrors, Language};
use crate::i18n::{self, Tr};
pub use crate::web::form::Problems;
use crate::web::input;

/// The event's working languages, in the organisers' order.
pub fn event_languages(event: &Event) -> Vec<Language> {
    event
        .languages
        .iter()
        .filter_map(|code| Language::parse(code).ok())
        .collect()
}

/// Organisers choose the zone from the IANA list; UTC is only a fallback
/// for a row written by hand, and the zone is printed next to every time.
pub fn time_zone(event: &Event) -> Tz {
    event.time_zone()
}

pub fn places_left(tr: &Tr, remaining: Option<i32>) -> String {
    match remaining {
        None => tr.t("event-unlimited"),
        Some(0) => tr.t("event-full"),
        Some(count) => tr.t1("event-places-left", "count", count),
    }
}

/// One session as a line of a table or a box to tick.
pub struct SessionLine {
    pub code: String,
    pub title: String,
    /// What the organisers say about it, in the page's language if they
    /// wrote it in that language; often empty.
    pub description: String,
    /// "Workshop · Room: B12".
    pub details: String,
    pub slot: String,
    pub places: String,
    /// No seat left for a newcomer: choosing it means the waiting list.
    pub full: bool,
    pub checked: bool,
    /// On the delegate's page: whether they hold a seat or wait for one.
    pub status: Option<String>,
    day: NaiveDate,
}

impl SessionLine {
    pub fn new(tr: &Tr, zone: Tz, session: &Session) -> SessionLine {
        let language = tr.language();
        let mut details = tr.t(i18n::session_kind_message(session.kind));
        if !session.room.is_empty() {
            details.push_str(" · ");
            details.push_str(&tr.t1("session-room", "room", session.room.as_str()));
        }
        let remaining = session.quota().remaining();
        SessionLine {
            code: session.code.clone(),
            title: session.title_in(language.code()).to_owned(),
            description: session.description_in(language.code()).to_owned(),
            details,
            slot: i18n::format_session_slot(language, session.starts_at, session.ends_at, zone),
            places: places_left(tr, remaining),
            full: remaining == Some(0),
            checked: false,
            status: None,
            day: session.starts_at.with_timezone(&zone).date_naive(),
        }
    }
}

/// Sessions of one day of the meeting, in the event's time zone.
pub struct Day {
    pub heading: String,
    pub sessions: Vec<SessionLine>,
}

/// Groups lines by day; `lines` come ordered by start time.
pub fn by_day(tr: &Tr, lines: Vec<SessionLine>) -> Vec<Day> {
    let mut days: Vec<(NaiveDate, Day)> = Vec::new();
    for line in lines {
        match days.last_mut() {
            Some((day, group)) if *day == line.day => group.sessions.push(line),
            _ => days.push((
                line.day,
                Day {
                    heading: i18n::format_date(tr.language(), line.day),
                    sessions: vec![line],
                },
            )),
        }
    }
    days.into_iter().map(|(_, day)| day).collect()
}

/// The session checkboxes of a form.
pub struct SessionsField {
    pub legend: String,
    pub hint: String,
    pub full_note: String,
    pub error: Option<String>,
    pub days: Vec<Day>,
}

impl SessionsField {
    pub fn new(tr: &Tr, days: Vec<Day>, problems: &Problems) -> SessionsField {
        SessionsField {
            legend: tr.t("field-sessions"),
            hint: tr.t("field-sessions-hint"),
            full_note: tr.t("session-full-waitlist"),
            error: problems.get("sessions").map(str::to_owned),
            days,
        }
    }
}

impl SessionsField {
    pub fn described_by(&self) -> String {
        described_by("sessions", true, self.error.is_some())
    }
}

/// The ids of a field's hint and problem, for its `aria-describedby`.
pub fn described_by(name: &str, hint: bool, error: bool) -> String {
    let hint = hint.then(|| format!("{name}-hint"));
    let error = error.then(|| format!("{name}-error"));
    [hint, error]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An `<option>`.
pub struct Choice {
    pub value: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub selected: bool,
}

/// A stored country code's name in `language`; the code itself for a code
/// we do not know, rather than nothing.
pub fn country_name(code: &str, language: Language) -> String {
    CountryCode::parse(code).map_or_else(
        |_| code.trim().to_owned(),
        |country| country.name(language).to_owned(),
    )
}

/// Every country, in the alphabetical order of its name in `language`.
pub fn country_choices(language: Language, selected: &str) -> Vec<Choice> {
    let mut countries: Vec<(String, CountryCode)> = CountryCode::all()
        .map(|code| (collation_key(code.name(language)), code))
        .collect();
    countries.sort();
    countries
        .into_iter()
        .map(|(_, code)| Choice {
            value: code.as_str().into(),
            label: code.name(language).into(),
            selected: code.as_str().eq_ignore_ascii_case(selected.trim()),
        })
        .collect()
}

/// Each language under its own name, as a delegate looks for it.
pub fn language_choices(offered: &[Language], selected: &str) -> Vec<Choice> {
    offered
        .iter()
        .map(|language| Choice {
            value: language.code().into(),
            label: i18n::language_name(*language).into(),
            selected: language.code().eq_ignore_ascii_case(selected.trim()),
        })
        .collect()
}

/// Files accented letters with their base letter ("Égypte" among the E,
/// "Îles Åland" among the I), as dictionaries of the four languages do;
/// plain code-point order would put them all after Z.
pub fn collation_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|letter| match letter {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// A submission's problems in the reader's language, in the form's order.
pub fn problems(language: Language, errors: &FieldErrors) -> Problems {
    Problems::of(language, errors).in_order(input::FIELDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldError;

    #[test]
    fn countries_sort_by_their_name_with_accents_among_their_letter() {
        let choices = country_choices(Language::Fr, "");
        let names: Vec<&str> = choices.iter().map(|choice| &*choice.label).collect();
        let position = |name: &str| names.iter().position(|n| *n == name).expect(name);
        assert!(position("Égypte") < position("Espagne"));
        assert!(position("Équateur") < position("Érythrée"));
        assert!(position("Îles Åland") < position("Inde"));
        assert!(position("Danemark") < position("Égypte"));
        assert!(position("Égypte") < position("Fidji"));
        assert_eq!(names.len(), CountryCode::all().count());
    }

    #[test]
    fn the_chosen_country_is_selected_whatever_its_case() {
        let choices = country_choices(Language::En, " sn");
        let chosen: Vec<&str> = choices
            .iter()
            .filter(|choice| choice.selected)
            .map(|choice| &*choice.value)
            .collect();
        assert_eq!(chosen, ["SN"]);
    }

    #[test]
    fn problems_follow_the_form_order() {
        let mut errors = FieldErrors::default();
        errors.add(
            "sessions",
            FieldError::new("error-session-unknown").with_arg("code", "Z9"),
        );
        errors.add("email", FieldError::new("error-email-invalid"));
        errors.add("given_name", FieldError::new("error-required"));
        let problems = problems(Language::Fr, &errors);
        let order: Vec<&str> = problems.fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(order, ["given_name", "email", "sessions"]);
        assert_eq!(
            problems.get("given_name"),
            Some("Ce champ est obligatoire.")
        );
        assert_eq!(
            problems.title(&Tr::new(Language::Fr)),
            "Votre inscription comporte 3 problèmes"
        );
    }
}
