//! The public pages: server-rendered askama templates in four languages,
//! usable with JavaScript off on a 360-px-wide phone.
//!
//! Every handler is a thin shell: it reads the request into a [`Visitor`]
//! and turns the `Result` of the page's work into HTML, so that a failure
//! becomes an error page in the reader's language rather than the JSON the
//! API answers with.

pub mod csrf;
mod error;
mod event;
mod home;
mod private;
pub mod questions;
mod register;
mod verify;
mod view;

use std::future::{Ready, ready};
use std::sync::LazyLock;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use sha2::{Digest, Sha256};

use self::csrf::CsrfToken;
use crate::domain::Language;
use crate::i18n::{self, negotiate};
use crate::web::AppError;
use crate::web::form::Form;
use crate::web::query::query_string;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::show))
        .route("/static/style.css", web::get().to(stylesheet))
        .route("/events/{slug}", web::get().to(event::show))
        .route("/events/{slug}/register", web::get().to(register::show))
        .route("/events/{slug}/register", web::post().to(register::submit))
        .route("/r/{token}", web::get().to(private::show))
        .route(
            "/r/{token}/sessions",
            web::post().to(private::change_sessions),
        )
        .route(
            "/r/{token}/answers",
            web::post().to(private::change_answers),
        )
        .route(
            "/r/{token}/files/{id}",
            web::get().to(private::download_file),
        )
        .route("/r/{token}/cancel", web::get().to(private::confirm_cancel))
        .route("/r/{token}/cancel", web::post().to(private::cancel))
        // One resource a path: another method is a 405 with `Allow`.
        .service(
            web::resource("/events/{slug}/verification")
                .get(verify::ask_again)
                .post(verify::send_again),
        )
        .service(
            web::resource("/verify/{token}")
                .get(verify::show)
                .post(verify::confirm),
        );
}

const STYLESHEET: &str = include_str!("../../../static/style.css");

/// The stylesheet's address carries a hash of its content, so it can be
/// cached for a year and still change the moment a new version ships.
static STYLESHEET_URL: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLESHEET.as_bytes());
    format!("/static/style.css?v={}", hex::encode(&digest[..6]))
});

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(STYLESHEET)
}

/// What a request says about its reader: the language they asked for, the
/// page they are on, and the CSRF cookie their browser holds.
pub struct Visitor {
    path: String,
    query: Vec<(String, String)>,
    cookie_language: Option<String>,
    accept_language: Option<String>,
    csrf_cookie: Option<String>,
    /// Cookies get the `Secure` flag when the site is served over HTTPS.
    secure: bool,
}

impl FromRequest for Visitor {
    type Error = actix_web::Error;
    type Future = Ready<Result<Visitor, actix_web::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A query string that does not decode is read as no query at all:
        // a page is always served.
        let query = web::Query::<Vec<(String, String)>>::from_query(request.query_string())
            .map(web::Query::into_inner)
            .unwrap_or_default();
        let secure = crate::web::client::is_https(request);
        ready(Ok(Visitor {
            path: request.path().to_owned(),
            query,
            cookie_language: request.cookie("lang").map(|c| c.value().to_owned()),
            accept_language: request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            csrf_cookie: request
                .cookie(csrf::cookie_name(secure))
                .map(|c| c.value().to_owned()),
            secure,
        }))
    }
}

impl Visitor {
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The page language among `offered` (all four when empty).
    pub fn language(&self, offered: &[Language]) -> Language {
        negotiate(
            self.query("lang"),
            self.cookie_language.as_deref(),
            self.accept_language.as_deref(),
            offered,
        )
    }

    /// The language of a delegate's own page: what they chose on this
    /// browser, else the language of their registration, which says more
    /// about them than their browser's settings do.
    pub fn language_preferring(&self, chosen: &str, offered: &[Language]) -> Language {
        negotiate(
            self.query("lang"),
            self.cookie_language.as_deref(),
            Some(chosen),
            offered,
        )
    }

    pub fn csrf_token(&self) -> CsrfToken {
        CsrfToken::for_cookie(self.csrf_cookie.as_deref())
    }

    pub fn csrf_verified(&self, form: &Form) -> bool {
        csrf::verify(self.csrf_cookie.as_deref(), form.get(csrf::FIELD))
    }

    /// This page in `language`: the same path and query (a list keeps its
    /// filters), with `lang` set. Only a path on this site is written back:
    /// one a browser would read as another site's (`//host`, `/\host`)
    /// gives the home page instead.
    fn in_language(&self, language: Language) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .query
            .iter()
            .filter(|(name, _)| name != "lang")
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        pairs.push(("lang", language.code()));
        format!("{}?{}", same_site_path(&self.path), query_string(&pairs))
    }

    /// The frame of a page: its title and the links to the same page in
    /// the other `offered` languages.
    pub fn layout(&self, language: Language, title: String, offered: &[Language]) -> Layout {
        let offered = if offered.is_empty() {
            &Language::ALL[..]
        } else {
            offered
        };
        Layout {
            lang: language.code(),
            title,
            stylesheet: &STYLESHEET_URL,
            switcher: offered
                .iter()
                .map(|&other| LanguageLink {
                    code: other.code(),
                    name: i18n::language_name(other),
                    href: self.in_language(other),
                    current: other == language,
                })
                .collect(),
        }
    }

    pub fn reply(&self, language: Language) -> Reply<'_> {
        Reply {
            visitor: self,
            language,
            status: StatusCode::OK,
            csrf: None,
            private: false,
        }
    }

    /// The answer of a page handler: its page, or an error page.
    pub fn respond(&self, result: Result<HttpResponse, AppError>) -> HttpResponse {
        result.unwrap_or_else(|failure| error::page(self, failure))
    }

    /// The cookie that remembers a language picked with `?lang=`.
    fn language_cookie(&self) -> Option<Cookie<'static>> {
        let language = Language::parse(self.query("lang")?).ok()?;
        Some(
            Cookie::build("lang", language.code())
                .path("/")
                .same_site(SameSite::Lax)
                .max_age(time::Duration::days(365))
                .secure(self.secure)
                .finish(),
        )
    }
}

/// `path` if a browser reads it as a path of this site, else `/`: it must
/// start with one `/` (`//host` and `/\host` name another host) and hold
/// no blank or control character, which browsers drop before reading it.
fn same_site_path(path: &str) -> &str {
    let on_this_site = path.starts_with('/')
        && !path[1..].starts_with(['/', '\\'])
        && !path.chars().any(|c| c.is_whitespace() || c.is_control());
    if on_this_site { path } else { "/" }
}

/// An HTML answer being put together.
pub struct Reply<'a> {
    visitor: &'a Visitor,
    language: Language,
    status: StatusCode,
    csrf: Option<&'a CsrfToken>,
    private: bool,
}

impl<'a> Reply<'a> {
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The page holds a form protected by `token`.
    pub fn csrf(mut self, token: &'a CsrfToken) -> Self {
        self.csrf = Some(token);
        self
    }

    /// The page's address is a secret (it holds a private token): it must
    /// not be stored by any cache nor leak to another site as a referrer.
    pub fn private(mut self) -> Self {
        self.private = true;
        self
    }

    pub fn render(self, page: &impl Template) -> Result<HttpResponse, AppError> {
        let body = page
            .render()
            .map_err(|error| AppError::Internal(error.into()))?;
        let mut response = self.start(self.status);
        response.content_type("text/html; charset=utf-8");
        Ok(response.body(body))
    }

    /// A page rendered already.
    pub fn html(self, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
        let mut response = self.start(self.status);
        response.content_type("text/html; charset=utf-8");
        response.body(body)
    }

    /// A 303 after a successful POST, so reloading the next page does not
    /// send the form again.
    pub fn see_other(self, location: &str) -> HttpResponse {
        self.start(StatusCode::SEE_OTHER)
            .insert_header((header::LOCATION, location))
            .finish()
    }

    fn start(&self, status: StatusCode) -> actix_web::HttpResponseBuilder {
        let mut response = HttpResponse::build(status);
        response
            .insert_header((
                header::CONTENT_LANGUAGE,
                HeaderValue::from_static(self.language.code()),
            ))
            // Pages differ with the language cookie and the browser's
            // languages, and some carry a CSRF token: no shared cache.
            .insert_header((header::VARY, "Cookie, Accept-Language"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            // No script at all, and forms post only here.
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; img-src 'self'; \
                 form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ));
        if self.private {
            response
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((header::REFERRER_POLICY, "no-referrer"));
        } else {
            response.insert_header((header::CACHE_CONTROL, "private, no-cache"));
        }
        if let Some(cookie) = self.visitor.language_cookie() {
            response.cookie(cookie);
        }
        if let Some(cookie) = self
            .csrf
            .and_then(|token| token.cookie(self.visitor.secure))
        {
            response.cookie(cookie);
        }
        response
    }
}

/// What the base template needs on every page.
pub struct Layout {
    pub lang: &'static str,
    pub title: String,
    pub stylesheet: &'static str,
    pub switcher: Vec<LanguageLink>,
}

pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::same_site_path;
    use crate::i18n::MESSAGE_IDS;

    /// The switcher writes the page's own path back into a link: never one
    /// that leads off the site.
    #[test]
    fn only_paths_of_this_site_are_written_back() {
        for path in [
            "/",
            "/admin/events/lima-1997/registrations",
            "/r/abc%2F%2Fdef",
        ] {
            assert_eq!(same_site_path(path), path);
        }
        for path in [
            "//evil.example/admin",
            "/\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/\t/evil.example",
            "/ /evil.example",
            "",
        ] {
            assert_eq!(same_site_path(path), "/", "{path:?}");
        }
    }

    /// The literal message ids that `source` passes to `.t(`, `.t1(` or
    /// `.t2(`, which may sit on the next line after rustfmt.
    fn requested_ids(source: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for call in [".t(", ".t1(", ".t2("] {
            for (at, _) in source.match_indices(call) {
                let rest = source[at + call.len()..].trim_start();
                let literal = rest
                    .strip_prefix('"')
                    .and_then(|literal| literal.split_once('"'))
                    .map(|(id, _)| id);
                // Not a message id: this very test's own patterns.
                if let Some(id) = literal.filter(|id| {
                    !id.is_empty()
                        && id.bytes().all(|b| {
                            b.is_ascii_lowercase() || b == b'-' || b == b'_' || b.is_ascii_digit()
                        })
                }) {
                    ids.push(id.to_owned());
                }
            }
        }
        ids
    }

    fn sources(dir: &str, extension: &str) -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == extension))
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("readable source");
                (path.display().to_string(), text)
            })
            .collect()
    }

    /// The catalog answers an unknown id with the id itself, which would
    /// show on a page as "form-submitt": every id the pages ask for must be
    /// one the Fluent files define in all four languages.
    #[test]
    fn every_message_the_pages_ask_for_exists() {
        let mut files = sources("templates/pages", "html");
        files.extend(sources("src/web/pages", "rs"));
        let mut checked = 0;
        for (path, text) in &files {
            for id in requested_ids(text) {
                assert!(
                    MESSAGE_IDS.contains(&id.as_str()),
                    "{path}: unknown message {id}"
                );
                checked += 1;
            }
        }
        assert!(checked > 80, "the scan found only {checked} ids");
    }
}
