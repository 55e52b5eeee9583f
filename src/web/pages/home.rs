//! `GET /`: the meetings open for registration.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::{Layout, Visitor};
use crate::db::events as store;
use crate::i18n::{self, Tr};
use crate::web::{AppError, AppState};

#[derive(Template)]
#[template(path = "pages/home.html")]
struct HomePage {
    tr: Tr,
    layout: Layout,
    events: Vec<OpenEvent>,
}

struct OpenEvent {
    name: String,
    dates: String,
    details_url: String,
    register_url: String,
}

pub async fn show(visitor: Visitor, state: web::Data<AppState>) -> HttpResponse {
    visitor.respond(home(&visitor, &state).await)
}

async fn home(visitor: &Visitor, state: &AppState) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.get().await?;
    let open = store::list_open(&mut conn, Utc::now()).await?;
    let language = visitor.language(&[]);
    let tr = Tr::new(language);
    let events = open
        .iter()
        .map(|event| OpenEvent {
            name: event.name_in(language.code()).to_owned(),
            dates: i18n::format_event_dates(language, event.starts_on, event.ends_on),
            details_url: format!("/events/{}", event.slug),
            register_url: format!("/events/{}/register", event.slug),
        })
        .collect();
    let page = HomePage {
        layout: visitor.layout(language, tr.t("home-title"), &[]),
        tr,
        events,
    };
    visitor.reply(language).render(&page)
}
