//! An event's participant categories: the list with its counts and a form
//! to add one, and each category's page to change or delete it. Read by
//! the API's own parser (`CategorySetup`), as sessions are.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::{Value, json};

use super::form::{in_event_order, number, parsed, refusal, stored_texts, text_input};
use super::{Admin, EventChange, EventPage, Field, Frame, Problems, Section, capacity_text};
use crate::db::categories::{self as store, Category};
use crate::db::events::Event;
use crate::domain::Language;
use crate::i18n::{self, Tr};
use crate::registration::categories as use_case;
use crate::web::AppError;
use crate::web::category_input::CategorySetup;
use crate::web::form::Form;

/// A category's form, new or existing; the inputs are named as the API's
/// JSON body (`names.fr`, …), the boxes say `yes` when ticked.
struct CategoryForm {
    action: String,
    csrf_token: String,
    problems: Problems,
    /// The code (a new category only), then the name in each language.
    fields: Vec<Field>,
    capacity: Field,
    position: Field,
    counts_in_quotas: bool,
    public: bool,
    needs_approval: bool,
}

impl CategoryForm {
    fn new(
        admin: &Admin,
        event: &Event,
        action: String,
        existing: bool,
        value: impl Fn(&str) -> String,
        problems: Problems,
    ) -> CategoryForm {
        let tr = &admin.tr;
        let field = |name: String, label: String, kind, hint: Option<String>| Field {
            value: value(&name),
            error: problems.get(&name).map(str::to_owned),
            name,
            label,
            kind,
            hint,
            lang: None,
        };
        let mut fields = Vec::new();
        if !existing {
            let hint = Some(tr.t("admin-category-code-hint"));
            fields.push(field(
                "code".into(),
                tr.t("admin-category-code"),
                "text",
                hint,
            ));
        }
        let languages: Vec<Language> = in_event_order(&event.languages)
            .into_iter()
            .filter(|language| event.languages.iter().any(|code| code == language.code()))
            .collect();
        for language in languages {
            let label = tr.t1(
                "admin-category-name-in",
                "name",
                i18n::language_name(language),
            );
            let mut name = field(text_input("names", language), label, "text", None);
            name.lang = Some(language.code());
            fields.push(name);
        }
        let capacity = field(
            "capacity".into(),
            tr.t("admin-category-capacity"),
            "number",
            Some(tr.t("admin-capacity-hint")),
        );
        let position = field(
            "position".into(),
            tr.t("admin-category-position"),
            "number",
            None,
        );
        CategoryForm {
            action,
            csrf_token: admin.csrf_token(),
            fields,
            capacity,
            position,
            counts_in_quotas: value("counts_in_quotas") == "yes",
            public: value("public") == "yes",
            needs_approval: value("needs_approval") == "yes",
            problems,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
struct CategoriesPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    categories: Vec<CategoryLine>,
    form: Option<CategoryForm>,
}

struct CategoryLine {
    code: String,
    name: String,
    href: String,
    capacity: String,
    taken: i32,
    waiting: i32,
    /// "In the quotas" or "Outside the quotas", in words.
    quotas: String,
    /// "On the form" or "By invitation", in words.
    offered: String,
}

fn list_url(event: &Event) -> String {
    format!("/admin/events/{}/categories", event.slug)
}

fn category_url(event: &Event, category: &Category) -> String {
    format!("{}/{}", list_url(event), category.code)
}

async fn render_list(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    event: &Event,
    form: Option<CategoryForm>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tr = admin.tr;
    let language = admin.language();
    let categories = store::of_event(conn, event.id)
        .await?
        .iter()
        .map(|category| CategoryLine {
            code: category.code.clone(),
            name: category.name_in(language.code()).to_owned(),
            href: category_url(event, category),
            capacity: capacity_text(&tr, category.capacity),
            taken: category.taken,
            waiting: category.waiting,
            quotas: tr.t(if category.counts_in_quotas {
                "admin-category-in-quotas"
            } else {
                "admin-category-outside-quotas"
            }),
            offered: tr.t(if category.public {
                "admin-category-public"
            } else {
                "admin-category-invitation"
            }),
        })
        .collect();
    let page = CategoriesPage {
        frame: admin.frame(
            tr.t("admin-tab-categories"),
            Some((event, Section::Categories)),
        ),
        notice: admin.notice(),
        categories,
        form,
        tr,
    };
    admin.render(status, &page)
}

/// A new category's blank form: in the quotas, on the form.
fn blank(name: &str) -> String {
    match name {
        "counts_in_quotas" | "public" => "yes".to_owned(),
        _ => String::new(),
    }
}

/// `GET /admin/events/{slug}/categories`
pub async fn list(EventPage(admin, event, mut conn): EventPage) -> Result<HttpResponse, AppError> {
    let form = admin.can_change().then(|| {
        CategoryForm::new(
            &admin,
            &event,
            list_url(&event),
            false,
            blank,
            Problems::default(),
        )
    });
    render_list(&admin, &mut conn, &event, form, StatusCode::OK).await
}

/// The body the API would receive; an existing category's code is left
/// out: it stays what it is.
fn category_json(form: &Form, new: bool) -> Value {
    let names: serde_json::Map<String, Value> = Language::ALL
        .iter()
        .map(|&language| {
            let text = form.text(&text_input("names", language)).to_owned();
            (language.code().to_owned(), Value::from(text))
        })
        .collect();
    let mut body = json!({
        "names": names,
        "capacity": number(form.text("capacity")),
        "position": match form.text("position") {
            "" => Value::Null,
            typed => number(typed),
        },
        "counts_in_quotas": form.text("counts_in_quotas") == "yes",
        "public": form.text("public") == "yes",
        "needs_approval": form.text("needs_approval") == "yes",
    });
    if new {
        body["code"] = json!(form.text("code"));
    }
    body
}

/// `POST /admin/events/{slug}/categories`
pub async fn create(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let body = category_json(&form, true);
    let problems = match parsed(&admin.tr, CategorySetup::parse(&body, &event, None)) {
        Ok(setup) => {
            let code = setup.code.as_str();
            let created =
                use_case::create(&mut conn, &event, code, &setup.changes, admin.organiser.id)
                    .await?;
            if created.is_some() {
                return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event))));
            }
            Problems::single("code", admin.tr.t("admin-category-code-taken"))
        }
        Err(problems) => problems,
    };
    let typed = |name: &str| form.text(name).to_owned();
    let form = CategoryForm::new(&admin, &event, list_url(&event), false, typed, problems);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_list(&admin, &mut conn, &event, Some(form), status).await
}

#[derive(Deserialize)]
pub struct CategoryPath {
    code: String,
}

async fn category_of(
    conn: &mut AsyncPgConnection,
    event: &Event,
    path: &CategoryPath,
) -> Result<Category, AppError> {
    store::find(conn, event.id, &path.code)
        .await?
        .ok_or(AppError::NotFound("category"))
}

#[derive(Template)]
#[template(path = "admin/category.html")]
struct CategoryPage {
    tr: Tr,
    frame: Frame,
    title: String,
    form: CategoryForm,
    delete_action: String,
    delete_problem: Option<String>,
}

fn render_category(
    admin: &Admin,
    event: &Event,
    category: &Category,
    form: CategoryForm,
    delete_problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let title = admin
        .tr
        .t1("admin-category-edit-title", "code", category.code.as_str());
    let page = CategoryPage {
        frame: admin.frame(title.clone(), Some((event, Section::Categories))),
        title,
        form,
        delete_action: format!("{}/delete", category_url(event, category)),
        delete_problem,
        tr: admin.tr,
    };
    admin.render(status, &page)
}

/// The stored category as its form shows it.
fn stored(category: &Category) -> impl Fn(&str) -> String + use<> {
    let yes = |on: bool| if on { "yes" } else { "" }.to_owned();
    let values: Vec<(String, String)> = [
        (
            "capacity",
            category.capacity.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("position", category.position.to_string()),
        ("counts_in_quotas", yes(category.counts_in_quotas)),
        ("public", yes(category.public)),
        ("needs_approval", yes(category.needs_approval)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .chain(stored_texts("names", &category.names))
    .collect();
    move |name: &str| {
        values
            .iter()
            .find_map(|(key, value)| (key == name).then(|| value.clone()))
            .unwrap_or_default()
    }
}

/// `GET /admin/events/{slug}/categories/{code}`
pub async fn edit(
    EventPage(admin, event, mut conn): EventPage,
    path: web::Path<CategoryPath>,
) -> Result<HttpResponse, AppError> {
    admin.require_organiser()?;
    let category = category_of(&mut conn, &event, &path).await?;
    let action = category_url(&event, &category);
    let form = CategoryForm::new(
        &admin,
        &event,
        action,
        true,
        stored(&category),
        Problems::default(),
    );
    render_category(&admin, &event, &category, form, None, StatusCode::OK)
}

/// `POST /admin/events/{slug}/categories/{code}`
pub async fn update(
    EventChange(admin, form, event, mut conn): EventChange,
    path: web::Path<CategoryPath>,
) -> Result<HttpResponse, AppError> {
    let category = category_of(&mut conn, &event, &path).await?;
    let body = category_json(&form, false);
    let problems = match parsed(
        &admin.tr,
        CategorySetup::parse(&body, &event, Some(&category)),
    ) {
        Ok(setup) => {
            let organiser = admin.organiser.id;
            let code = category.code.as_str();
            let updated = use_case::update(
                &mut conn,
                &event,
                code,
                &setup.changes,
                organiser,
                Utc::now(),
            )
            .await;
            match updated {
                Ok(_) => return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event)))),
                Err(error) => refusal(admin.language(), error)?,
            }
        }
        Err(problems) => problems,
    };
    let typed = |name: &str| form.text(name).to_owned();
    let action = category_url(&event, &category);
    let form = CategoryForm::new(&admin, &event, action, true, typed, problems);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_category(&admin, &event, &category, form, None, status)
}

/// `POST /admin/events/{slug}/categories/{code}/delete`: refused once a
/// registration uses the category.
pub async fn delete(
    EventChange(admin, _, event, mut conn): EventChange,
    path: web::Path<CategoryPath>,
) -> Result<HttpResponse, AppError> {
    let category = category_of(&mut conn, &event, &path).await?;
    let deleted = use_case::delete(&mut conn, &event, &category.code, admin.organiser.id).await;
    let problems = match deleted {
        Ok(()) => return Ok(admin.see_other(&format!("{}?done=deleted", list_url(&event)))),
        Err(error) => refusal(admin.language(), error)?,
    };
    let action = category_url(&event, &category);
    let form = CategoryForm::new(
        &admin,
        &event,
        action,
        true,
        stored(&category),
        Problems::default(),
    );
    let problem = problems
        .messages()
        .first()
        .map(|message| (*message).to_owned());
    render_category(
        &admin,
        &event,
        &category,
        form,
        problem,
        StatusCode::CONFLICT,
    )
}
