//! `/events/{slug}/register`: the registration form and its submission.
//! The form is read into the same `RawRegistration` as the JSON API and
//! goes through the same `Registrar`; only the answer differs:
//! the form again, with every value kept and every problem in words, or a
//! redirect to the delegate's private page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use super::questions::{QuestionField, answers_of_form, asks_for_a_file, question_fields};
use super::view::{
    Choice, Problems, SessionLine, SessionsField, by_day, country_choices, described_by,
    event_languages, language_choices, problems, time_zone,
};
use super::{Layout, Visitor};
use crate::db::categories::{Category, first_public};
use crate::db::events::{Event, Session};
use crate::db::questions::AskedQuestion;
use crate::domain::{Asking, FieldError, FieldErrors, Language};
use crate::i18n::Tr;
use crate::registration::RegistrationError;
use crate::web::form::Form as FormBody;
use crate::web::input::RawRegistration;
use crate::web::{AppError, AppState};

#[derive(Template)]
#[template(path = "pages/register.html")]
struct RegisterPage {
    tr: Tr,
    layout: Layout,
    title: String,
    event_url: String,
    action: String,
    /// Registration is closed: the page says so instead of showing a form
    /// that could only be refused.
    closed: bool,
    /// Where a delegate asks for a new verification link (events that
    /// verify emails).
    verify_again_url: Option<String>,
    csrf_token: String,
    problems: Problems,
    given_name: TextField,
    family_name: TextField,
    email: TextField,
    country: SelectField,
    organisation: TextField,
    /// Shown when delegates may choose between several categories.
    category: Option<SelectField>,
    language: SelectField,
    sessions: SessionsField,
    questions: Vec<QuestionField>,
    /// The form carries a file input, and is sent as multipart.
    multipart: bool,
    country_prompt: String,
    full_note: String,
}

/// A text input with its label, hint and problem.
struct TextField {
    name: &'static str,
    label: String,
    input_type: &'static str,
    autocomplete: &'static str,
    value: String,
    optional: Option<String>,
    hint: Option<String>,
    error: Option<String>,
}

/// A `<select>`; `prompt` is the empty first option, when there is one.
struct SelectField {
    name: &'static str,
    label: String,
    prompt: Option<String>,
    hint: Option<String>,
    error: Option<String>,
    options: Vec<Choice>,
}

impl TextField {
    fn described_by(&self) -> String {
        described_by(self.name, self.hint.is_some(), self.error.is_some())
    }
}

impl SelectField {
    fn described_by(&self) -> String {
        described_by(self.name, self.hint.is_some(), self.error.is_some())
    }
}

pub async fn show(
    visitor: Visitor,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> HttpResponse {
    visitor.respond(show_form(&visitor, &state, &slug).await)
}

async fn show_form(
    visitor: &Visitor,
    state: &AppState,
    slug: &str,
) -> Result<HttpResponse, AppError> {
    let form = Form::load(state, visitor, slug).await?;
    form.render(
        StatusCode::OK,
        &RawRegistration::default(),
        Problems::default(),
    )
}

pub async fn submit(
    visitor: Visitor,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    visitor.respond(submit_form(&visitor, &state, &slug, &request, payload).await)
}

async fn submit_form(
    visitor: &Visitor,
    state: &AppState,
    slug: &str,
    request: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    state.registration_limit.check_request(request)?;
    let form = Form::load(state, visitor, slug).await?;
    let limit = state.settings.form_body_limit(&form.questions);
    let body = FormBody::read(request, payload, limit).await?;
    let mut raw = RawRegistration::of_form(&body);
    let sent = answers_of_form(
        &body,
        &form.questions,
        &serde_json::Map::new(),
        state.settings.questions.file_max_bytes,
    );
    raw.answers = sent.answers;

    // Before anything else is looked at: a forged request learns nothing
    // about which addresses are registered. The delegate's answers are
    // shown again, with a token that will pass, so nothing is typed twice.
    if !visitor.csrf_verified(&body) {
        let problems = Problems::general(form.tr.t("error-csrf"));
        return form.render(StatusCode::FORBIDDEN, &raw, problems);
    }
    let rules: Vec<_> = form.questions.iter().map(AskedQuestion::rule).collect();
    // A refused file is named first: its problem is the one to fix.
    let default_category = first_public(&form.categories).map(|category| category.code.as_str());
    let parsed = raw.parse(form.language, default_category, &rules);
    let applicant = match (parsed, sent.refused) {
        (Ok(mut applicant), refused) if refused.is_empty() => {
            applicant.uploads = sent.uploads;
            applicant
        }
        (parsed, mut refused) => {
            if let Err(errors) = parsed {
                for (field, error) in errors.iter() {
                    refused.add(field, error.clone());
                }
            }
            return form.refuse(&raw, &refused);
        }
    };
    let registered = state
        .registrar
        .register(
            form.event.clone(),
            crate::registration::Offer {
                sessions: &form.sessions,
                questions: &form.questions,
                categories: &form.categories,
            },
            applicant,
            None,
            state.settings.public_url(),
            Utc::now(),
        )
        .await;
    match registered {
        // The token goes only into the address of the private page, which
        // then shows the confirmation: no other URL, no log line holds it.
        Ok(registered) => Ok(visitor
            .reply(form.language)
            .private()
            .see_other(&format!("/r/{}?registered=1", registered.token))),
        Err(RegistrationError::Invalid(errors)) => form.refuse(&raw, &errors),
        Err(RegistrationError::Duplicate) => {
            let errors = FieldErrors::single("email", FieldError::new("error-duplicate"));
            form.refuse(&raw, &errors)
        }
        // Nothing in the form can fix that: the page now says it is closed.
        Err(RegistrationError::Closed) => {
            form.render(StatusCode::CONFLICT, &raw, Problems::default())
        }
        Err(other) => Err(other.into()),
    }
}

/// A meeting's registration form, in the reader's language.
struct Form<'a> {
    visitor: &'a Visitor,
    event: Event,
    sessions: Vec<Session>,
    questions: Vec<AskedQuestion>,
    categories: Vec<Category>,
    offered: Vec<Language>,
    language: Language,
    tr: Tr,
    file_max_bytes: usize,
}

impl<'a> Form<'a> {
    async fn load(
        state: &AppState,
        visitor: &'a Visitor,
        slug: &str,
    ) -> Result<Form<'a>, AppError> {
        let snapshot = state.events.get(&state.pool, slug).await?;
        let (event, sessions) = (snapshot.event.clone(), snapshot.sessions.clone());
        let questions = snapshot.questions.clone();
        let categories = snapshot.categories.clone();
        let offered = event_languages(&event);
        let language = visitor.language(&offered);
        Ok(Form {
            visitor,
            event,
            sessions,
            questions,
            categories,
            offered,
            language,
            tr: Tr::new(language),
            file_max_bytes: state.settings.questions.file_max_bytes,
        })
    }

    /// The choice of a category, when delegates have more than one to
    /// choose from (the first is the default, and selected when none is).
    fn category_field(&self, chosen: &str, error: Option<&str>) -> Option<SelectField> {
        let public: Vec<&Category> = self.categories.iter().filter(|c| c.public).collect();
        if public.len() < 2 {
            return None;
        }
        let chosen = chosen.trim();
        let options = public
            .iter()
            .enumerate()
            .map(|(index, category)| Choice {
                value: category.code.clone().into(),
                label: category.name_in(self.language.code()).to_owned().into(),
                selected: category.code == chosen || (chosen.is_empty() && index == 0),
            })
            .collect();
        Some(SelectField {
            name: "category",
            label: self.tr.t("field-category"),
            prompt: None,
            hint: None,
            error: error.map(str::to_owned),
            options,
        })
    }

    /// The questions the form puts. Without a choice of category, those
    /// asked of the one delegates register in; with one, every question
    /// asked of a category they may choose, one asked of only some saying
    /// which (a form without scripts shows them all; the answers of the
    /// others are dropped).
    fn question_fields(
        &self,
        answers: &serde_json::Map<String, serde_json::Value>,
        problems: &Problems,
    ) -> Vec<QuestionField> {
        let public: Vec<&Category> = self.categories.iter().filter(|c| c.public).collect();
        let choosable: Vec<Option<&str>> = if public.is_empty() {
            vec![None]
        } else {
            public
                .iter()
                .map(|category| Some(category.code.as_str()))
                .collect()
        };
        let shown: Vec<AskedQuestion> = self
            .questions
            .iter()
            .filter(|asked| {
                choosable
                    .iter()
                    .any(|&category| asked.asked_of(Asking::registering(category)))
            })
            .cloned()
            .collect();
        let mut fields = question_fields(
            &self.tr,
            self.event.first_language(),
            &shown,
            answers,
            problems,
            self.file_max_bytes,
            &|_| None,
        );
        if public.len() < 2 {
            return fields;
        }
        for (field, asked) in fields.iter_mut().zip(&shown) {
            let asked_of = &asked.question.categories;
            if asked_of.is_empty() {
                continue;
            }
            let names: Vec<&str> = public
                .iter()
                .filter(|category| asked_of.contains(&category.code))
                .map(|category| category.name_in(self.language.code()))
                .collect();
            let only = self
                .tr
                .t1("answer-only-for", "categories", names.join(", ").as_str());
            field.hint = Some(match field.hint.take() {
                Some(hint) => format!("{only} {hint}"),
                None => only,
            });
        }
        fields
    }

    /// The form again, with what was sent and what is wrong with it.
    fn refuse(
        &self,
        raw: &RawRegistration,
        errors: &FieldErrors,
    ) -> Result<HttpResponse, AppError> {
        let problems = problems(self.language, errors);
        self.render(StatusCode::UNPROCESSABLE_ENTITY, raw, problems)
    }

    /// The form filled in with `raw` (empty on a first visit), or the news
    /// that registration is closed.
    fn render(
        &self,
        status: StatusCode,
        raw: &RawRegistration,
        problems: Problems,
    ) -> Result<HttpResponse, AppError> {
        let tr = &self.tr;
        let zone = time_zone(&self.event);
        let lines = self
            .sessions
            .iter()
            .map(|session| {
                let mut line = SessionLine::new(tr, zone, session);
                line.checked = raw
                    .sessions
                    .iter()
                    .any(|code| code.trim().eq_ignore_ascii_case(&session.code));
                line
            })
            .collect();
        let text = |name: &'static str, label: String, value: &str| TextField {
            name,
            label,
            input_type: "text",
            autocomplete: "off",
            value: value.to_owned(),
            optional: None,
            hint: None,
            error: problems.get(name).map(str::to_owned),
        };
        let optional = Some(tr.t("optional"));
        let language = if raw.language.trim().is_empty() {
            self.language.code()
        } else {
            raw.language.as_str()
        };
        let title = tr.t1(
            "form-title",
            "event",
            self.event.name_in(self.language.code()),
        );
        let csrf = self.visitor.csrf_token();
        let page = RegisterPage {
            layout: self
                .visitor
                .layout(self.language, title.clone(), &self.offered),
            title,
            event_url: format!("/events/{}", self.event.slug),
            action: format!("/events/{}/register", self.event.slug),
            closed: !self.event.is_open_at(Utc::now()),
            verify_again_url: self
                .event
                .verifying
                .is_on()
                .then(|| format!("/events/{}/verification", self.event.slug)),
            csrf_token: csrf.value().to_owned(),
            given_name: TextField {
                autocomplete: "given-name",
                ..text("given_name", tr.t("field-given-name"), &raw.given_name)
            },
            family_name: TextField {
                autocomplete: "family-name",
                optional: optional.clone(),
                hint: Some(tr.t("field-family-name-hint")),
                ..text("family_name", tr.t("field-family-name"), &raw.family_name)
            },
            email: TextField {
                input_type: "email",
                autocomplete: "email",
                hint: Some(tr.t("field-email-hint")),
                ..text("email", tr.t("field-email"), &raw.email)
            },
            country: SelectField {
                name: "country",
                label: tr.t("field-country"),
                prompt: Some(tr.t("field-country-choose")),
                hint: None,
                error: problems.get("country").map(str::to_owned),
                options: country_choices(self.language, &raw.country),
            },
            organisation: TextField {
                autocomplete: "organization",
                optional,
                hint: Some(tr.t("field-organisation-hint")),
                ..text(
                    "organisation",
                    tr.t("field-organisation"),
                    &raw.organisation,
                )
            },
            category: self.category_field(&raw.category, problems.get("category")),
            language: SelectField {
                name: "language",
                label: tr.t("field-language"),
                prompt: None,
                hint: Some(tr.t("field-language-hint")),
                error: problems.get("language").map(str::to_owned),
                options: language_choices(&self.offered, language),
            },
            sessions: SessionsField::new(tr, by_day(tr, lines), &problems),
            questions: self.question_fields(&raw.answers, &problems),
            multipart: asks_for_a_file(&self.questions),
            country_prompt: tr.t("field-country-choose"),
            full_note: tr.t("answer-choice-full"),
            problems,
            tr: *tr,
        };
        self.visitor
            .reply(self.language)
            .status(status)
            .csrf(&csrf)
            .render(&page)
    }
}
