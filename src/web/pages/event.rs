//! `GET /events/{slug}`: a meeting, its programme and the places left.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::view::{SessionLine, event_languages, places_left, time_zone};
use super::{Layout, Visitor, view};
use crate::domain::Language;
use crate::i18n::{self, Tr};
use crate::web::event_cache::EventSnapshot;
use crate::web::{AppError, AppState};

#[derive(Template)]
#[template(path = "pages/event.html")]
struct EventPage {
    tr: Tr,
    layout: Layout,
    name: String,
    description: String,
    dates: String,
    window: String,
    open: bool,
    register_url: String,
    places: String,
    sessions: Vec<SessionLine>,
    countries: Vec<CountryLine>,
}

struct CountryLine {
    name: String,
    capacity: String,
    places: String,
}

pub async fn show(
    visitor: Visitor,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> HttpResponse {
    visitor.respond(event(&visitor, &state, &slug).await)
}

async fn event(visitor: &Visitor, state: &AppState, slug: &str) -> Result<HttpResponse, AppError> {
    let snapshot = state.events.get(&state.pool, slug).await?;
    let offered = event_languages(&snapshot.event);
    let language = visitor.language(&offered);
    // The page depends on nothing but the event and the language (its
    // address is the event's), so one rendering serves every reader.
    let page = snapshot.page_in(language, || {
        render(visitor, &snapshot, &offered, language)
            .render()
            .map_err(|error| AppError::Internal(error.into()))
    })?;
    Ok(visitor.reply(language).html(page))
}

fn render(
    visitor: &Visitor,
    snapshot: &EventSnapshot,
    offered: &[Language],
    language: Language,
) -> EventPage {
    let (event, sessions, quotas) = (&snapshot.event, &snapshot.sessions, &snapshot.countries);
    let tr = Tr::new(language);
    let zone = time_zone(event);
    let name = event.name_in(language.code()).to_owned();

    let mut countries: Vec<(String, CountryLine)> = quotas
        .iter()
        .map(|quota| {
            let name = view::country_name(&quota.country_code, language);
            let capacity = match quota.capacity {
                Some(capacity) => capacity.to_string(),
                None => tr.t("event-unlimited"),
            };
            let line = CountryLine {
                name: name.clone(),
                capacity,
                places: places_left(&tr, quota.quota().remaining()),
            };
            (view::collation_key(&name), line)
        })
        .collect();
    countries.sort_by(|a, b| a.0.cmp(&b.0));

    EventPage {
        layout: visitor.layout(language, name.clone(), offered),
        description: event.description_in(language.code()).to_owned(),
        dates: i18n::format_event_dates(language, event.starts_on, event.ends_on),
        window: tr.t2(
            "event-registration-window",
            "opens",
            i18n::format_datetime_with_zone(language, event.registration_opens_at, zone),
            "closes",
            i18n::format_datetime_with_zone(language, event.registration_closes_at, zone),
        ),
        open: event.is_open_at(Utc::now()),
        register_url: format!("/events/{}/register", event.slug),
        places: places_left(&tr, event.quota().remaining()),
        sessions: sessions
            .iter()
            .map(|session| SessionLine::new(&tr, zone, session))
            .collect(),
        countries: countries.into_iter().map(|(_, line)| line).collect(),
        name,
        tr,
    }
}
