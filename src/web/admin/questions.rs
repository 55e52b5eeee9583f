//! An event's questions: the list with the presets and a form to add one,
//! each question's page to change or delete it, and its counts per choice
//! and per country. Every set-up is read by the API's own parser
//! (`QuestionSetup`) from the body the API would receive, so both refuse
//! the same things with the same per-field problems.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::{Value, json};

use super::form::{
    in_event_order, instant, local_input, number, parsed, refusal, stored_texts, text_input,
    texts_by_language,
};
use super::{
    Admin, Choice, EventChange, EventPage, Field, Frame, Problems, Section, Translation,
    capacity_text, country_name,
};
use crate::db::events::Event;
use crate::db::questions::{self as store, AskedQuestion};
use crate::domain::{Language, Limits, Preset, QuestionStage, QuestionType, Vocabulary};
use crate::i18n::{self, Tr};
use crate::registration::questions as use_case;
use crate::web::AppError;
use crate::web::api::question_bodies::{summary_body, text_in};
use crate::web::form::Form;
use crate::web::question_input::{QuestionSetup, add_preset, preset_of};

/// The inputs of a question's form that are not texts or choices.
const SCALARS: [&str; 12] = [
    "code",
    "type",
    "position",
    "stage",
    "required",
    "sensitive",
    "min",
    "max",
    "condition.question",
    "condition.any_of",
    "answers_until",
    "purge_after_days",
];
/// The question's texts by language: `labels.fr`, `help.fr`, …
const TEXT_GROUPS: [&str; 2] = ["labels", "help"];
/// Choice rows read from a form: more than a set-up may have, so that the
/// parser, not the form, refuses too many.
const ROWS_READ: usize = 200;
/// Empty choice rows offered under the filled ones (no script adds rows).
const BLANK_ROWS: usize = 3;

fn choice_input(index: usize, name: &str) -> String {
    format!("choices.{index}.{name}")
}

/// The inputs of one choice row, its labels in each of the four languages.
fn choice_inputs(index: usize) -> Vec<String> {
    let labels = choice_input(index, "labels");
    [choice_input(index, "code"), choice_input(index, "capacity")]
        .into_iter()
        .chain(
            Language::ALL
                .iter()
                .map(|&language| text_input(&labels, language)),
        )
        .collect()
}

/// A question's form inputs by name, as typed or as stored. Choice rows
/// are numbered from 0 without gaps, as the API's `choices` list is, so a
/// problem the parser names `choices.2.code` lands on the row shown third.
struct Values(Vec<(String, String)>);

impl Values {
    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find_map(|(key, value)| (key == name).then(|| value.clone()))
            .unwrap_or_default()
    }

    fn is_yes(&self, name: &str) -> bool {
        self.get(name) == "yes"
    }

    /// How many choice rows hold something.
    fn rows(&self) -> usize {
        (0..)
            .take_while(|&index| {
                let code = choice_input(index, "code");
                self.0.iter().any(|(key, _)| *key == code)
            })
            .count()
    }

    /// The inputs as sent, empty choice rows left out.
    fn typed(form: &Form) -> Values {
        let mut pairs: Vec<(String, String)> = SCALARS
            .iter()
            .map(|&name| (name.to_owned(), form.text(name).to_owned()))
            .collect();
        for group in TEXT_GROUPS {
            for language in Language::ALL {
                let name = text_input(group, language);
                let typed = form.text(&name).to_owned();
                pairs.push((name, typed));
            }
        }
        let mut row = 0;
        for index in 0..ROWS_READ {
            let typed: Vec<&str> = choice_inputs(index)
                .iter()
                .map(|name| form.text(name))
                .collect();
            if typed.iter().all(|text| text.is_empty()) {
                continue;
            }
            for (name, text) in choice_inputs(row).into_iter().zip(typed) {
                pairs.push((name, text.to_owned()));
            }
            row += 1;
        }
        Values(pairs)
    }

    fn stored(asked: &AskedQuestion, zone: chrono_tz::Tz) -> Values {
        let question = &asked.question;
        let yes = |flag: bool| if flag { "yes" } else { "" }.to_owned();
        let (min, max) = Limits::from(question.limits).ends_text();
        let condition = asked.condition();
        let mut pairs: Vec<(String, String)> = [
            ("code", question.code.clone()),
            ("type", question.kind.as_str().to_owned()),
            ("position", question.position.to_string()),
            ("stage", question.stage.as_str().to_owned()),
            ("required", yes(question.required)),
            ("sensitive", yes(question.sensitive)),
            ("min", min),
            ("max", max),
            (
                "condition.question",
                condition
                    .as_ref()
                    .map(|c| c.question.clone())
                    .unwrap_or_default(),
            ),
            (
                "condition.any_of",
                condition.map(|c| c.any_of.join(", ")).unwrap_or_default(),
            ),
            (
                "answers_until",
                question
                    .answers_until
                    .map(|at| local_input(at, zone))
                    .unwrap_or_default(),
            ),
            (
                "purge_after_days",
                question
                    .purge_after_days
                    .map(|days| days.to_string())
                    .unwrap_or_default(),
            ),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .chain(stored_texts("labels", &question.labels))
        .chain(stored_texts("help", &question.help))
        .collect();
        for (index, choice) in asked.choices.iter().enumerate() {
            pairs.push((choice_input(index, "code"), choice.code.clone()));
            pairs.push((
                choice_input(index, "capacity"),
                choice.capacity.map(|n| n.to_string()).unwrap_or_default(),
            ));
            pairs.extend(stored_texts(&choice_input(index, "labels"), &choice.labels));
        }
        Values(pairs)
    }

    /// The body the API would receive. A new question's code and type come
    /// from the form; an existing one's are left out: they stay.
    fn body(&self, kind: Option<QuestionType>, new: bool, zone: chrono_tz::Tz) -> Value {
        let get = |name: &str| self.get(name);
        let bound = |name: &str| {
            let typed = self.get(name);
            match kind {
                _ if typed.is_empty() => Value::Null,
                Some(QuestionType::Number) => number(&typed),
                _ => json!(typed),
            }
        };
        let stage = self.get("stage");
        let mut body = json!({
            "labels": texts_by_language("labels", get),
            "help": texts_by_language("help", get),
            "required": self.is_yes("required"),
            "sensitive": self.is_yes("sensitive"),
            "position": number(&self.get("position")),
            "stage": if stage.is_empty() { Value::Null } else { json!(stage) },
            "min": bound("min"),
            "max": bound("max"),
            "answers_until": match self.get("answers_until") {
                until if until.is_empty() => Value::Null,
                until => instant(&until, zone),
            },
            "purge_after_days": number(&self.get("purge_after_days")),
        });
        if new {
            body["code"] = json!(self.get("code"));
            body["type"] = json!(self.get("type"));
        }
        let choices: Vec<Value> = (0..self.rows())
            .map(|index| {
                json!({
                    "code": self.get(&choice_input(index, "code")),
                    "labels": texts_by_language(&choice_input(index, "labels"), get),
                    "capacity": number(&self.get(&choice_input(index, "capacity"))),
                })
            })
            .collect();
        if !choices.is_empty() || kind.is_some_and(QuestionType::has_choices) {
            body["choices"] = json!(choices);
        }
        let parent = self.get("condition.question");
        if !parent.is_empty() {
            let words = self.get("condition.any_of");
            let words: Vec<&str> = words
                .split([',', ' '])
                .map(str::trim)
                .filter(|word| !word.is_empty())
                .collect();
            body["condition"] = json!({"question": parent, "any_of": words});
        }
        body
    }
}

/// The message naming a question type.
fn type_message(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Text => "admin-question-type-text",
        QuestionType::LongText => "admin-question-type-long-text",
        QuestionType::YesNo => "admin-question-type-yes-no",
        QuestionType::SingleChoice => "admin-question-type-single-choice",
        QuestionType::MultipleChoice => "admin-question-type-multiple-choice",
        QuestionType::Number => "admin-question-type-number",
        QuestionType::Date => "admin-question-type-date",
        QuestionType::Country => "admin-question-type-country",
        QuestionType::File => "admin-question-type-file",
    }
}

fn stage_message(stage: QuestionStage) -> &'static str {
    match stage {
        QuestionStage::Registration => "admin-question-stage-registration",
        QuestionStage::AfterApproval => "admin-question-stage-after-approval",
    }
}

fn preset_message(preset: Preset) -> &'static str {
    match preset {
        Preset::Diet => "admin-preset-diet",
        Preset::Accessibility => "admin-preset-accessibility",
        Preset::Interpretation => "admin-preset-interpretation",
        Preset::TravelDates => "admin-preset-travel-dates",
        Preset::Nationality => "admin-preset-nationality",
    }
}

/// A question's form, new or existing.
struct QuestionForm {
    action: String,
    csrf_token: String,
    problems: Problems,
    /// The code input of a new question; an existing one's code stays.
    code: Option<Field>,
    /// The types offered to a new question; none for an existing one.
    kinds: Vec<Choice>,
    /// An existing question's type, in words.
    kind_name: String,
    /// The label and help in each of the event's languages.
    texts: Vec<Translation>,
    required: bool,
    sensitive: bool,
    position: Field,
    stages: Vec<Choice>,
    choices_error: Option<String>,
    choices: Vec<ChoiceRow>,
    parents: Vec<Choice>,
    condition_error: Option<String>,
    any_of: Field,
    min: Field,
    max: Field,
    answers_until: Field,
    purge_after_days: Field,
}

struct ChoiceRow {
    legend: String,
    fields: Vec<Field>,
}

fn field(
    tr: &Tr,
    values: &Values,
    problems: &Problems,
    name: String,
    label: &str,
    kind: &'static str,
) -> Field {
    Field {
        label: tr.t(label),
        kind,
        value: values.get(&name),
        hint: None,
        error: problems.get(&name).map(str::to_owned),
        lang: None,
        name,
    }
}

impl QuestionForm {
    /// `stored` is the question an existing form changes; `others` the
    /// event's other questions, those a condition may name.
    fn new(
        admin: &Admin,
        event: &Event,
        action: String,
        stored: Option<&AskedQuestion>,
        others: &[AskedQuestion],
        values: &Values,
        problems: Problems,
    ) -> QuestionForm {
        let tr = &admin.tr;
        let input = |name: &str, label: &str, kind: &'static str| {
            field(tr, values, &problems, name.to_owned(), label, kind)
        };
        let with_hint = |mut field: Field, hint: &str| {
            field.hint = Some(tr.t(hint));
            field
        };
        let languages: Vec<Language> = in_event_order(&event.languages)
            .into_iter()
            .filter(|language| event.languages.iter().any(|code| code == language.code()))
            .collect();
        let texts = languages
            .iter()
            .map(|&language| Translation {
                code: language.code(),
                name: i18n::language_name(language),
                fields: [
                    ("labels", "admin-question-label", "text"),
                    ("help", "admin-question-help", "textarea"),
                ]
                .into_iter()
                .map(|(group, label, kind)| {
                    let mut field = input(&text_input(group, language), label, kind);
                    field.lang = Some(language.code());
                    field
                })
                .collect(),
            })
            .collect();
        let choices = (0..values.rows() + BLANK_ROWS)
            .map(|index| {
                let mut fields = vec![input(
                    &choice_input(index, "code"),
                    "admin-question-choice-code",
                    "text",
                )];
                for &language in &languages {
                    let name = text_input(&choice_input(index, "labels"), language);
                    let mut label = input(&name, "admin-question-label", "text");
                    label.label = format!("{} ({})", label.label, i18n::language_name(language));
                    label.lang = Some(language.code());
                    fields.push(label);
                }
                fields.push(with_hint(
                    input(
                        &choice_input(index, "capacity"),
                        "admin-session-capacity",
                        "number",
                    ),
                    "admin-capacity-hint",
                ));
                ChoiceRow {
                    legend: tr.t1("admin-question-choice", "position", index + 1),
                    fields,
                }
            })
            .collect();
        let typed_kind = values.get("type");
        let kinds = match stored {
            Some(_) => Vec::new(),
            None => QuestionType::ALL
                .iter()
                .map(|&kind| Choice {
                    value: kind.as_str().to_owned(),
                    label: tr.t(type_message(kind)),
                    selected: kind.as_str() == typed_kind,
                })
                .collect(),
        };
        let stage = values.get("stage");
        let parent = values.get("condition.question");
        let parents = std::iter::once(Choice {
            value: String::new(),
            label: tr.t("admin-question-condition-none"),
            selected: parent.is_empty(),
        })
        .chain(
            others
                .iter()
                .filter(|other| other.question.kind.can_be_a_condition())
                .map(|other| Choice {
                    value: other.question.code.clone(),
                    label: format!(
                        "{} — {}",
                        other.question.code,
                        text_in(&other.question.labels, tr.language().code(), "")
                    ),
                    selected: other.question.code == parent,
                }),
        )
        .collect();
        let problem = |name: &str| problems.get(name).map(str::to_owned);
        QuestionForm {
            action,
            csrf_token: admin.csrf_token(),
            code: stored.is_none().then(|| {
                with_hint(
                    input("code", "admin-question-code", "text"),
                    "admin-question-code-hint",
                )
            }),
            kinds,
            kind_name: stored
                .map(|asked| tr.t(type_message(asked.question.kind)))
                .unwrap_or_default(),
            texts,
            required: values.is_yes("required"),
            sensitive: values.is_yes("sensitive"),
            position: with_hint(
                input("position", "admin-question-position", "number"),
                "admin-question-position-hint",
            ),
            stages: QuestionStage::ALL
                .iter()
                .map(|&value| Choice {
                    value: value.as_str().to_owned(),
                    label: tr.t(stage_message(value)),
                    selected: value.as_str() == stage,
                })
                .collect(),
            choices_error: problem("choices"),
            choices,
            parents,
            condition_error: problem("condition.question").or_else(|| problem("condition")),
            any_of: with_hint(
                input("condition.any_of", "admin-question-condition-words", "text"),
                "admin-question-condition-hint",
            ),
            min: with_hint(
                input("min", "admin-question-min", "text"),
                "admin-question-bounds-hint",
            ),
            max: input("max", "admin-question-max", "text"),
            answers_until: with_hint(
                input(
                    "answers_until",
                    "admin-question-answers-until",
                    "datetime-local",
                ),
                "admin-question-answers-until-hint",
            ),
            purge_after_days: with_hint(
                input("purge_after_days", "admin-question-purge-days", "number"),
                "admin-question-purge-days-hint",
            ),
            problems,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/questions.html")]
struct QuestionsPage {
    tr: Tr,
    frame: Frame,
    notice: Option<String>,
    questions: Vec<QuestionLine>,
    can_change: bool,
    csrf_token: String,
    presets_action: String,
    presets: Vec<PresetButton>,
    preset_problem: Option<String>,
    form: Option<QuestionForm>,
}

struct QuestionLine {
    code: String,
    label: String,
    href: String,
    summary_href: String,
    kind: String,
    required: bool,
    sensitive: bool,
    position: i32,
    answered: i64,
}

struct PresetButton {
    value: &'static str,
    label: String,
    /// The event already asks one of its questions.
    added: bool,
}

fn list_url(event: &Event) -> String {
    format!("/admin/events/{}/questions", event.slug)
}

fn question_url(event: &Event, code: &str) -> String {
    format!("{}/{code}", list_url(event))
}

async fn render_list(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    event: &Event,
    form: Option<QuestionForm>,
    preset_problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let tr = admin.tr;
    let language = admin.language().code();
    let fallback = event.languages.first().map_or("", String::as_str);
    let questions = store::of_event(conn, event.id, None).await?;
    let answered = store::live_answer_counts(conn, event.id).await?;
    let lines = questions
        .iter()
        .map(|asked| {
            let question = &asked.question;
            QuestionLine {
                code: question.code.clone(),
                label: text_in(&question.labels, language, fallback).to_owned(),
                href: question_url(event, &question.code),
                summary_href: format!("{}/summary", question_url(event, &question.code)),
                kind: tr.t(type_message(question.kind)),
                required: question.required,
                sensitive: question.sensitive,
                position: question.position,
                answered: answered
                    .iter()
                    .find_map(|(id, count)| (*id == question.id).then_some(*count))
                    .unwrap_or(0),
            }
        })
        .collect();
    let presets = Preset::ALL
        .iter()
        .map(|&preset| PresetButton {
            value: preset.as_str(),
            label: tr.t(preset_message(preset)),
            added: preset
                .codes()
                .iter()
                .any(|code| questions.iter().any(|q| q.question.code == *code)),
        })
        .collect();
    let page = QuestionsPage {
        frame: admin.frame(
            tr.t("admin-tab-questions"),
            Some((event, Section::Questions)),
        ),
        notice: admin.notice(),
        questions: lines,
        can_change: admin.can_change(),
        csrf_token: admin.csrf_token(),
        presets_action: format!("/admin/events/{}/question-presets", event.slug),
        presets,
        preset_problem,
        form,
        tr,
    };
    admin.render(status, &page)
}

fn blank() -> Values {
    Values(vec![
        ("type".to_owned(), QuestionType::Text.as_str().to_owned()),
        (
            "stage".to_owned(),
            QuestionStage::Registration.as_str().to_owned(),
        ),
    ])
}

/// `GET /admin/events/{slug}/questions`
pub async fn list(EventPage(admin, event, mut conn): EventPage) -> Result<HttpResponse, AppError> {
    let form = if admin.can_change() {
        let others = store::of_event(&mut conn, event.id, None).await?;
        Some(QuestionForm::new(
            &admin,
            &event,
            list_url(&event),
            None,
            &others,
            &blank(),
            Problems::default(),
        ))
    } else {
        None
    };
    render_list(&admin, &mut conn, &event, form, None, StatusCode::OK).await
}

/// `POST /admin/events/{slug}/questions`
pub async fn create(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let values = Values::typed(&form);
    let kind = QuestionType::from_stored(&values.get("type"));
    let others = store::of_event(&mut conn, event.id, None).await?;
    let categories = crate::db::categories::of_event(&mut conn, event.id).await?;
    let setup = QuestionSetup::parse(
        &values.body(kind, true, event.time_zone()),
        &event,
        None,
        &others,
        &categories,
    );
    let problems = match parsed(&admin.tr, setup) {
        Ok(setup) => {
            let created = use_case::create_question(
                &mut conn,
                event.id,
                &setup.new_question(event.id),
                &setup.new_choices(),
                admin.organiser.id,
            )
            .await?;
            if created.is_some() {
                return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event))));
            }
            Problems::single("code", admin.tr.t("admin-question-code-taken"))
        }
        Err(problems) => problems,
    };
    let form = QuestionForm::new(
        &admin,
        &event,
        list_url(&event),
        None,
        &others,
        &values,
        problems,
    );
    render_list(
        &admin,
        &mut conn,
        &event,
        Some(form),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /admin/events/{slug}/question-presets`: the preset's questions
/// added in one click, in the event's languages.
pub async fn add_one_preset(
    EventChange(admin, form, event, mut conn): EventChange,
) -> Result<HttpResponse, AppError> {
    let added = match preset_of(&json!({"preset": form.text("preset")})) {
        Ok(preset) => add_preset(&mut conn, &event, preset, admin.organiser.id).await,
        Err(errors) => Err(crate::registration::RegistrationError::Invalid(errors)),
    };
    let problems = match added {
        Ok(_) => return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event)))),
        Err(error) => refusal(admin.language(), error)?,
    };
    let others = store::of_event(&mut conn, event.id, None).await?;
    let form = QuestionForm::new(
        &admin,
        &event,
        list_url(&event),
        None,
        &others,
        &blank(),
        Problems::default(),
    );
    render_list(
        &admin,
        &mut conn,
        &event,
        Some(form),
        problems
            .messages()
            .first()
            .map(|message| (*message).to_owned()),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
pub struct QuestionPath {
    code: String,
}

/// The question the path names, and the event's others.
async fn question_of(
    conn: &mut AsyncPgConnection,
    event: &Event,
    path: &QuestionPath,
) -> Result<(AskedQuestion, Vec<AskedQuestion>), AppError> {
    let (mut found, others): (Vec<AskedQuestion>, Vec<AskedQuestion>) =
        store::of_event(conn, event.id, None)
            .await?
            .into_iter()
            .partition(|asked| asked.question.code == path.code);
    let question = found.pop().ok_or(AppError::NotFound("question"))?;
    Ok((question, others))
}

#[derive(Template)]
#[template(path = "admin/question.html")]
struct QuestionPage {
    tr: Tr,
    frame: Frame,
    title: String,
    form: QuestionForm,
    summary_href: String,
    delete_action: String,
    answered: i64,
    delete_problem: Option<String>,
}

async fn render_question(
    admin: &Admin,
    conn: &mut AsyncPgConnection,
    event: &Event,
    question: &AskedQuestion,
    form: QuestionForm,
    delete_problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let title = admin.tr.t1(
        "admin-question-edit-title",
        "code",
        question.question.code.as_str(),
    );
    let url = question_url(event, &question.question.code);
    let page = QuestionPage {
        frame: admin.frame(title.clone(), Some((event, Section::Questions))),
        title,
        form,
        summary_href: format!("{url}/summary"),
        delete_action: format!("{url}/delete"),
        answered: store::answer_count(conn, question.question.id).await?,
        delete_problem,
        tr: admin.tr,
    };
    admin.render(status, &page)
}

/// `GET /admin/events/{slug}/questions/{code}`
pub async fn edit(
    EventPage(admin, event, mut conn): EventPage,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    admin.require_organiser()?;
    let (question, others) = question_of(&mut conn, &event, &path).await?;
    let form = QuestionForm::new(
        &admin,
        &event,
        question_url(&event, &question.question.code),
        Some(&question),
        &others,
        &Values::stored(&question, event.time_zone()),
        Problems::default(),
    );
    render_question(
        &admin,
        &mut conn,
        &event,
        &question,
        form,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/events/{slug}/questions/{code}`
pub async fn update(
    EventChange(admin, form, event, mut conn): EventChange,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    let (question, others) = question_of(&mut conn, &event, &path).await?;
    let values = Values::typed(&form);
    let body = values.body(Some(question.question.kind), false, event.time_zone());
    let categories = crate::db::categories::of_event(&mut conn, event.id).await?;
    let setup = QuestionSetup::parse(&body, &event, Some(&question), &others, &categories);
    let problems = match parsed(&admin.tr, setup) {
        Ok(setup) => {
            let updated = use_case::update_question(
                &mut conn,
                event.id,
                question.question.id,
                &setup.new_question(event.id),
                &setup.new_choices(),
                admin.organiser.id,
            )
            .await;
            match updated {
                Ok(_) => return Ok(admin.see_other(&format!("{}?done=saved", list_url(&event)))),
                Err(error) => refusal(admin.language(), error)?,
            }
        }
        Err(problems) => problems,
    };
    let form = QuestionForm::new(
        &admin,
        &event,
        question_url(&event, &question.question.code),
        Some(&question),
        &others,
        &values,
        problems,
    );
    render_question(
        &admin,
        &mut conn,
        &event,
        &question,
        form,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /admin/events/{slug}/questions/{code}/delete`: a question with
/// answers needs the `confirm` box ticked (the API's `?confirm=true`);
/// the use case writes the audit row.
pub async fn delete(
    EventChange(admin, form, event, mut conn): EventChange,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    let (question, others) = question_of(&mut conn, &event, &path).await?;
    let confirmed = form.get("confirm") == Some("yes");
    let deleted = use_case::delete_question(
        &mut conn,
        &event,
        &question.question.code,
        confirmed,
        admin.organiser.id,
    )
    .await;
    let problems = match deleted {
        Ok(()) => return Ok(admin.see_other(&format!("{}?done=deleted", list_url(&event)))),
        Err(error) => refusal(admin.language(), error)?,
    };
    let form = QuestionForm::new(
        &admin,
        &event,
        question_url(&event, &question.question.code),
        Some(&question),
        &others,
        &Values::stored(&question, event.time_zone()),
        Problems::default(),
    );
    render_question(
        &admin,
        &mut conn,
        &event,
        &question,
        form,
        problems
            .messages()
            .first()
            .map(|message| (*message).to_owned()),
        StatusCode::CONFLICT,
    )
    .await
}

#[derive(Template)]
#[template(path = "admin/question_summary.html")]
struct SummaryPage {
    tr: Tr,
    frame: Frame,
    title: String,
    label: String,
    answered: i64,
    has_choices: bool,
    choices: Vec<SummaryLine>,
    /// The choices' labels, the columns of the table by country.
    headings: Vec<String>,
    countries: Vec<CountryLine>,
}

struct SummaryLine {
    id: String,
    label: String,
    count: i32,
    capacity: String,
    remaining: String,
}

struct CountryLine {
    id: String,
    name: String,
    counts: Vec<i64>,
}

/// `GET /admin/events/{slug}/questions/{code}/summary`: counts only, for
/// viewers as for organisers; no answer is listed, sensitive or not.
pub async fn summary(
    EventPage(admin, event, mut conn): EventPage,
    path: web::Path<QuestionPath>,
) -> Result<HttpResponse, AppError> {
    let (question, _) = question_of(&mut conn, &event, &path).await?;
    let answered = store::live_answer_count(&mut conn, question.question.id).await?;
    let by_country = store::choice_counts_by_country(&mut conn, question.question.id).await?;
    let counts = summary_body(&question, answered, by_country);
    let tr = admin.tr;
    let language = admin.language();
    let fallback = event.languages.first().map_or("", String::as_str);
    let choice_label = |code: &str| {
        question
            .choices
            .iter()
            .find(|choice| choice.code == code)
            .map_or(code, |choice| {
                text_in(&choice.labels, language.code(), fallback)
            })
            .to_owned()
    };
    let title = tr.t1(
        "admin-question-summary-title",
        "code",
        question.question.code.as_str(),
    );
    let page = SummaryPage {
        frame: admin.frame(title.clone(), Some((&event, Section::Questions))),
        title,
        label: text_in(&question.question.labels, language.code(), fallback).to_owned(),
        answered,
        has_choices: question.question.kind.has_choices(),
        choices: counts
            .choices
            .iter()
            .map(|choice| SummaryLine {
                id: format!("choice-{}", choice.code),
                label: choice_label(choice.code),
                count: choice.count,
                capacity: capacity_text(&tr, choice.capacity),
                remaining: choice
                    .remaining
                    .map_or_else(|| tr.t("event-unlimited"), |left| left.to_string()),
            })
            .collect(),
        headings: question
            .choices
            .iter()
            .map(|choice| choice_label(&choice.code))
            .collect(),
        countries: counts
            .countries
            .iter()
            .map(|country| CountryLine {
                id: format!("country-{}", country.country),
                name: country_name(&country.country, language),
                counts: question
                    .choices
                    .iter()
                    .map(|choice| {
                        country
                            .choices
                            .iter()
                            .find_map(|held| (held.code == choice.code).then_some(held.count))
                            .unwrap_or(0)
                    })
                    .collect(),
            })
            .collect(),
        tr,
    };
    admin.render(StatusCode::OK, &page)
}
