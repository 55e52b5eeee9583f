//! Dates and times as each working language writes them, always in the
//! event's time zone and always saying which zone that is: delegates travel
//! from dozens of countries and must not guess.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::catalog::Tr;
use crate::domain::Language;

/// "22 November 2027", "22 novembre 2027", "22 de noviembre de 2027",
/// "22 de novembro de 2027"; French writes the first day "1er".
pub fn format_date(language: Language, date: NaiveDate) -> String {
    let day = date.day();
    let month = month_name(language, date);
    let year = date.year();
    match language {
        Language::En => format!("{day} {month} {year}"),
        Language::Fr if day == 1 => format!("1er {month} {year}"),
        Language::Fr => format!("{day} {month} {year}"),
        Language::Es | Language::Pt => format!("{day} de {month} de {year}"),
    }
}

/// An event's first and last days, as the `event-dates` message words them.
pub fn format_event_dates(language: Language, starts_on: NaiveDate, ends_on: NaiveDate) -> String {
    Tr::new(language).t2(
        "event-dates",
        "start",
        format_date(language, starts_on),
        "end",
        format_date(language, ends_on),
    )
}

/// All four working languages use the 24-hour clock at international meetings.
const CLOCK: &str = "%H:%M";

/// "10:00" in the event's zone. The language changes nothing today (see
/// `CLOCK`), but callers should not have to know that.
pub fn format_time(_language: Language, at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format(CLOCK).to_string()
}

/// "22 novembre 2027, 10:00 (Africa/Dakar, GMT)".
pub fn format_datetime_with_zone(language: Language, at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{}, {} ({})",
        format_date(language, local.date_naive()),
        local.format(CLOCK),
        zone_label(&local),
    )
}

/// "22 novembre 2027, 10:00–12:00 (Africa/Dakar, GMT)"; a session that ends
/// on another day in the event's zone names both days.
pub fn format_session_slot(
    language: Language,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    zone: Tz,
) -> String {
    let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let start_date = format_date(language, start.date_naive());
    let (start_time, end_time) = (start.format(CLOCK), end.format(CLOCK));
    let zone = zone_label(&start);
    if start.date_naive() == end.date_naive() {
        format!("{start_date}, {start_time}–{end_time} ({zone})")
    } else {
        let end_date = format_date(language, end.date_naive());
        format!("{start_date}, {start_time} – {end_date}, {end_time} ({zone})")
    }
}

/// "Africa/Dakar, GMT": the IANA name is unambiguous, the abbreviation (or
/// offset, where the zone has no letters) is what clocks there show.
fn zone_label(local: &DateTime<Tz>) -> String {
    format!("{}, {}", local.timezone().name(), local.format("%Z"))
}

fn month_name(language: Language, date: NaiveDate) -> &'static str {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const PT: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    let names = match language {
        Language::En => &EN,
        Language::Fr => &FR,
        Language::Es => &ES,
        Language::Pt => &PT,
    };
    // month0 is 0..=11 for every NaiveDate, so the index is always in range.
    names[date.month0() as usize]
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    fn utc(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
            .single()
            .expect("valid test time")
    }

    #[test]
    fn dates_in_the_four_languages() {
        let day = date(2027, 11, 22);
        assert_eq!(format_date(Language::En, day), "22 November 2027");
        assert_eq!(format_date(Language::Fr, day), "22 novembre 2027");
        assert_eq!(format_date(Language::Es, day), "22 de noviembre de 2027");
        assert_eq!(format_date(Language::Pt, day), "22 de novembro de 2027");
    }

    #[test]
    fn days_have_no_leading_zero_and_french_says_premier() {
        let day = date(2027, 3, 5);
        assert_eq!(format_date(Language::En, day), "5 March 2027");
        assert_eq!(format_date(Language::Pt, day), "5 de março de 2027");
        assert_eq!(format_date(Language::Fr, date(2027, 8, 1)), "1er août 2027");
        assert_eq!(
            format_date(Language::Es, date(2027, 1, 1)),
            "1 de enero de 2027"
        );
    }

    #[test]
    fn times_are_24_hour_in_the_event_zone() {
        let at = utc(2027, 11, 22, 15, 5);
        for language in Language::ALL {
            assert_eq!(format_time(language, at, chrono_tz::Africa::Dakar), "15:05");
            assert_eq!(format_time(language, at, chrono_tz::America::Lima), "10:05");
        }
    }

    #[test]
    fn date_and_time_name_the_zone() {
        let at =
            |language, zone| format_datetime_with_zone(language, utc(2027, 11, 22, 10, 0), zone);
        let (dakar, lima) = (chrono_tz::Africa::Dakar, chrono_tz::America::Lima);
        assert_eq!(
            at(Language::Fr, dakar),
            "22 novembre 2027, 10:00 (Africa/Dakar, GMT)"
        );
        assert_eq!(
            at(Language::En, dakar),
            "22 November 2027, 10:00 (Africa/Dakar, GMT)"
        );
        // chrono-tz has no letters for Lima's zone and prints its offset.
        assert_eq!(
            at(Language::Es, lima),
            "22 de noviembre de 2027, 05:00 (America/Lima, -05)"
        );
    }

    #[test]
    fn the_date_is_the_one_in_the_event_zone() {
        let at = utc(2027, 11, 23, 2, 30);
        assert_eq!(
            format_datetime_with_zone(Language::Pt, at, chrono_tz::America::Lima),
            "22 de novembro de 2027, 21:30 (America/Lima, -05)"
        );
    }

    #[test]
    fn session_slots() {
        let in_dakar = |language, starts_at, ends_at| {
            format_session_slot(language, starts_at, ends_at, chrono_tz::Africa::Dakar)
        };
        let (ten, noon) = (utc(2027, 11, 22, 10, 0), utc(2027, 11, 22, 12, 0));
        assert_eq!(
            in_dakar(Language::Fr, ten, noon),
            "22 novembre 2027, 10:00–12:00 (Africa/Dakar, GMT)"
        );
        let (late, past_midnight) = (utc(2027, 11, 22, 22, 0), utc(2027, 11, 23, 1, 30));
        assert_eq!(
            in_dakar(Language::En, late, past_midnight),
            "22 November 2027, 22:00 – 23 November 2027, 01:30 (Africa/Dakar, GMT)"
        );
    }

    #[test]
    fn summer_time_shows_the_abbreviation_in_force() {
        let at = utc(2027, 7, 1, 8, 0);
        let text = format_datetime_with_zone(Language::Fr, at, chrono_tz::America::Montreal);
        assert_eq!(text, "1er juillet 2027, 04:00 (America/Montreal, EDT)");
    }
}
