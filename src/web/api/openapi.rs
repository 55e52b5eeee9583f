//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API.
//! A test holds it to the route table, so a route cannot be added without
//! being described here.

use actix_web::HttpResponse;
use serde_json::{Value, json};

use crate::web::organiser_input::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}, "description": description})
}

fn query_param(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

/// Texts in the event's other languages, by language code.
fn texts_by_language(max: usize) -> Value {
    json!({"type": "object", "propertyNames": {"enum": ["en", "fr", "es", "pt"]},
        "additionalProperties": {"type": "string", "maxLength": max},
        "description": "By language code, each one of the event's languages; a language without a text (or with an empty one, which is not stored) shows the text of the event's first language"})
}

/// The fields an organiser sends to set up an event, or a session.
fn event_setup() -> Value {
    json!({
        "slug": {"type": "string"},
        "name": {"type": "string", "maxLength": MAX_NAME_CHARS, "description": "In the event's first language"},
        "names": texts_by_language(MAX_NAME_CHARS),
        "description": {"type": "string", "maxLength": MAX_DESCRIPTION_CHARS, "description": "In the event's first language"},
        "descriptions": texts_by_language(MAX_DESCRIPTION_CHARS),
        "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
        "timezone": {"type": "string"},
        "languages": {"type": "array", "items": {"type": "string"}, "description": "The first is the event's first language"},
        "registration_opens_at": {"type": "string", "format": "date-time"},
        "registration_closes_at": {"type": "string", "format": "date-time"},
        "capacity": {"type": ["integer", "null"], "minimum": 0},
        "default_country_capacity": {"type": ["integer", "null"], "minimum": 0},
        "reference_prefix": {"type": "string"}})
}

fn session_setup() -> Value {
    json!({
        "code": {"type": "string"},
        "title": {"type": "string", "maxLength": MAX_NAME_CHARS, "description": "In the event's first language"},
        "titles": texts_by_language(MAX_NAME_CHARS),
        "description": {"type": "string", "maxLength": MAX_DESCRIPTION_CHARS, "description": "In the event's first language"},
        "descriptions": texts_by_language(MAX_DESCRIPTION_CHARS),
        "kind": {"enum": ["plenary", "workshop"]}, "room": {"type": "string", "maxLength": MAX_NAME_CHARS},
        "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
        "capacity": {"type": ["integer", "null"], "minimum": 0}})
}

fn list_filters() -> Vec<Value> {
    vec![
        path_param("slug", "The event's slug"),
        query_param(
            "status",
            json!({"enum": ["confirmed", "waitlisted", "cancelled"]}),
            "Only this status",
        ),
        query_param(
            "country",
            json!({"type": "string"}),
            "ISO 3166-1 alpha-2 code",
        ),
        query_param(
            "session",
            json!({"type": "string"}),
            "Only delegates who chose this session code",
        ),
        query_param(
            "q",
            json!({"type": "string"}),
            "Part of a name, email, reference or organisation",
        ),
        query_param(
            "sort",
            json!({"enum": ["name", "-name", "country", "status", "-registered"]}),
            "Order",
        ),
        query_param(
            "page",
            json!({"type": "integer", "minimum": 1}),
            "Page, from 1 (each page deeper skips more index entries: for long lists follow `next` with `after`)",
        ),
        query_param(
            "after",
            json!({"type": "string"}),
            "Keyset cursor: the page after the row it names (the `next` of the page before); not with `page`. A cursor of another event, order or search is refused",
        ),
        query_param(
            "per_page",
            json!({"type": "integer", "minimum": 1, "maximum": 1000}),
            "Items per page",
        ),
    ]
}

/// The questions' schemas and routes (API.md, "Next wave — Questions").
fn add_questions(document: &mut Value) {
    let secured = json!([{"bearer": []}]);
    let texts = texts_by_language(300);
    let question_properties = json!({
        "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,31}$"},
        "type": {"enum": ["text", "long_text", "yes_no", "single_choice", "multiple_choice", "number", "date", "country"]},
        "labels": texts, "help": texts_by_language(1000),
        "required": {"type": "boolean"}, "position": {"type": "integer"}, "sensitive": {"type": "boolean"},
        "stage": {"enum": ["registration", "after_approval"]},
        "choices": {"type": "array", "maxItems": 100, "items": {"type": "object", "additionalProperties": false, "required": ["code", "labels"], "properties": {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,31}$"}, "labels": texts_by_language(300),
            "capacity": {"type": ["integer", "null"], "minimum": 0}}}},
        "condition": {"type": ["object", "null"], "properties": {"question": {"type": "string"}, "any_of": {"type": "array", "items": {"type": "string"}}},
            "description": "Ask only if the earlier yes/no or choice question was answered with one of these words (choice codes, or yes / no)"},
        "min": {"type": ["integer", "string", "null"], "description": "A whole number for a number question, a YYYY-MM-DD date for a date question"},
        "max": {"type": ["integer", "string", "null"]}});
    let schemas = &mut document["components"]["schemas"];
    schemas["Question"] = json!({"type": "object", "properties": question_properties});
    schemas["NewQuestion"] = json!({"type": "object", "additionalProperties": false, "required": ["code", "type", "labels"], "properties": question_properties});
    schemas["QuestionSetup"] = json!({"type": "object", "additionalProperties": false, "required": ["labels"],
        "description": "A question's whole set-up, as it is created; the code and the type may be left out, not changed. A choice that registrations hold cannot be left out",
        "properties": question_properties});
    schemas["QuestionSummary"] = json!({"type": "object", "properties": {
        "code": {"type": "string"}, "answered": {"type": "integer"},
        "choices": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "count": {"type": "integer"},
            "capacity": {"type": ["integer", "null"]}, "remaining": {"type": ["integer", "null"]}}}},
        "countries": {"type": "array", "description": "The counts per country of the delegates", "items": {"type": "object", "properties": {
            "country": {"type": "string"},
            "choices": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "count": {"type": "integer"}}}}}}}}});
    schemas["Answers"] = json!({"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object",
        "description": "By question code: a text, a boolean (yes/no), a choice code, a list of choice codes, a whole number, a YYYY-MM-DD date or a country code. Errors name answers.<code>"}}});
    schemas["NewRegistration"]["properties"]["answers"] =
        json!({"type": "object", "description": "Answers to the event's questions, by code"});
    schemas["Registration"]["properties"]["answers"] = json!({"type": "object"});
    schemas["Event"]["properties"]["questions"] = json!({"type": "array", "description": "The questions of the registration form, texts in ?lang= or the event's first language", "items": {"type": "object"}});
    let slug = path_param("slug", "The event's slug");
    let code = path_param("code", "The question's code");
    let paths = &mut document["paths"];
    paths["/api/v1/events/{slug}/questions"] = json!({
        "get": {"summary": "The event's questions, in their order", "security": secured, "parameters": [slug],
            "responses": {"200": {"description": "{\"items\": [Question]}"}, "404": error_response("No such event")}},
        "post": {"summary": "Add a question", "security": secured, "parameters": [slug], "requestBody": body("NewQuestion"),
            "responses": {"201": ok("The question", "Question"), "409": error_response("Code taken"), "422": error_response("Invalid fields")}}});
    paths["/api/v1/events/{slug}/questions/{code}"] = json!({
        "get": {"summary": "A question", "security": secured, "parameters": [slug, code],
            "responses": {"200": ok("The question", "Question"), "404": error_response("No such event or question")}},
        "put": {"summary": "Set a question up again", "security": secured, "parameters": [slug, code], "requestBody": body("QuestionSetup"),
            "responses": {"200": ok("The question", "Question"), "404": error_response("No such event or question"), "422": error_response("Invalid fields, a held choice left out, or a capacity below the places held")}},
        "delete": {"summary": "Delete a question and its answers", "security": secured,
            "parameters": [slug, code, query_param("confirm", json!({"type": "boolean"}), "Needed once registrations answered it")],
            "responses": {"204": {"description": "Deleted"}, "404": error_response("No such event or question"), "422": error_response("Answered and not confirmed, or named by another question's condition")}}});
    paths["/api/v1/events/{slug}/questions/{code}/summary"] = json!({
        "get": {"summary": "Counts per choice among live registrations", "security": secured, "parameters": [slug, code],
            "responses": {"200": ok("The counts", "QuestionSummary"), "404": error_response("No such event or question")}}});
    let token = path_param("token", "The private token");
    paths["/api/v1/registrations/{token}/answers"] = json!({
        "get": {"summary": "A registration's answers", "parameters": [token], "responses": {"200": ok("The answers", "Answers"), "404": error_response("Unknown token")}},
        "put": {"summary": "Replace a registration's answers (the whole map)", "parameters": [token], "requestBody": body("Answers"),
            "responses": {"200": ok("The answers", "Answers"), "404": error_response("Unknown token"), "409": error_response("Cancelled"), "422": error_response("Invalid answers, or a full choice")}}});
}

pub fn document() -> Value {
    let mut document = described();
    add_questions(&mut document);
    document
}

fn described() -> Value {
    let secured = json!([{"bearer": []}]);
    let mut csv_parameters = list_filters();
    csv_parameters.push(query_param(
        "bom",
        json!({"type": "boolean"}),
        "Start with a UTF-8 BOM for Excel",
    ));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Rencontre",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Delegate registration for international meetings. Errors always have the shape of the Error schema; codes: validation (422), duplicate (409), registration_closed (409), cancelled (409), not_found (404), unauthorized (401), forbidden (403), payload_too_large (413), unsupported_media_type (415: a write whose body is not application/json), rate_limited (429), unavailable (503)."
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API token from `rencontre token create EMAIL`"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}}}},
                "Event": {"type": "object", "properties": {
                    "slug": {"type": "string"}, "name": {"type": "string"}, "names": {"type": "object"},
                    "description": {"type": "string"}, "descriptions": {"type": "object"},
                    "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
                    "timezone": {"type": "string"}, "languages": {"type": "array", "items": {"enum": ["en", "fr", "es", "pt"]}},
                    "registration": {"type": "object", "properties": {
                        "opens_at": {"type": "string", "format": "date-time"}, "closes_at": {"type": "string", "format": "date-time"}, "open": {"type": "boolean"}}},
                    "capacity": {"type": ["integer", "null"]}, "remaining": {"type": ["integer", "null"]},
                    "default_country_capacity": {"type": ["integer", "null"]},
                    "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
                    "countries": {"type": "array", "items": {"type": "object", "properties": {
                        "code": {"type": "string"}, "capacity": {"type": ["integer", "null"]}, "remaining": {"type": ["integer", "null"]}}}}}},
                "NewEvent": {"type": "object", "additionalProperties": false,
                    "required": ["slug", "name", "starts_on", "ends_on", "timezone", "languages", "registration_opens_at", "registration_closes_at"],
                    "properties": event_setup()},
                "EventSetup": {"type": "object", "additionalProperties": false,
                    "description": "An event's whole set-up, as it is created; the slug and the reference prefix may be left out, not changed",
                    "required": ["name", "starts_on", "ends_on", "timezone", "languages", "registration_opens_at", "registration_closes_at"],
                    "properties": event_setup()},
                "Session": {"type": "object", "properties": {
                    "code": {"type": "string"}, "title": {"type": "string"}, "titles": {"type": "object"},
                    "description": {"type": "string"}, "descriptions": {"type": "object"},
                    "kind": {"enum": ["plenary", "workshop"]}, "room": {"type": "string"},
                    "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
                    "capacity": {"type": ["integer", "null"]}, "remaining": {"type": ["integer", "null"]}}},
                "NewSession": {"type": "object", "additionalProperties": false, "required": ["code", "title", "starts_at", "ends_at"],
                    "properties": session_setup()},
                "SessionSetup": {"type": "object", "additionalProperties": false,
                    "description": "A session's whole set-up, as it is created; the code may be left out, not changed",
                    "required": ["title", "starts_at", "ends_at"], "properties": session_setup()},
                "NewRegistration": {"type": "object", "additionalProperties": false, "required": ["given_name", "email", "country"], "properties": {
                    "given_name": {"type": "string"}, "family_name": {"type": "string"}, "email": {"type": "string"},
                    "country": {"type": "string"}, "organisation": {"type": "string"},
                    "language": {"enum": ["en", "fr", "es", "pt"]}, "sessions": {"type": "array", "items": {"type": "string"}}}},
                "Registration": {"type": "object", "properties": {
                    "id": {"type": "string", "format": "uuid"}, "reference": {"type": "string"},
                    "status": {"enum": ["confirmed", "waitlisted", "cancelled"]},
                    "waitlist_position": {"type": ["integer", "null"]},
                    "sessions": {"type": "array", "items": {"type": "object", "properties": {
                        "code": {"type": "string"}, "status": {"enum": ["confirmed", "waitlisted"]}}}},
                    "manage_url": {"type": "string"}, "given_name": {"type": "string"}, "family_name": {"type": "string"},
                    "email": {"type": "string"}, "country": {"type": "string"}, "organisation": {"type": "string"},
                    "language": {"type": "string"}, "registered_at": {"type": "string", "format": "date-time"}}},
                "SessionChoices": {"type": "object", "required": ["sessions"], "properties": {"sessions": {"type": "array", "items": {"type": "string"}}}},
                "Capacity": {"type": "object", "required": ["capacity"], "properties": {"capacity": {"type": ["integer", "null"], "minimum": 0}}},
                "EmailText": {"type": "object", "required": ["subject", "body"], "properties": {
                    "subject": {"type": "string"}, "body": {"type": "string", "description": "Plain text with placeholders: {given_name} {family_name} {event} {reference} {status} {waitlist_position} {sessions} {manage_url}"}}},
                "Page": {"type": "object", "properties": {
                    "items": {"type": "array", "items": {"type": "object"}}, "total": {"type": "integer"},
                    "page": {"type": "integer", "description": "Absent when the page was asked for with `after`"},
                    "per_page": {"type": "integer"},
                    "next": {"type": ["string", "null"], "description": "Cursor of the next page (`after`); null on the last page"}}}
            }
        },
        "paths": {
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI document"}}}},
            "/api/v1/events": {"post": {"summary": "Create an event", "security": secured, "requestBody": body("NewEvent"),
                "responses": {"201": ok("The event", "Event"), "401": error_response("No valid token"), "403": error_response("Role too small"), "409": error_response("Slug taken"), "422": error_response("Invalid fields")}}},
            "/api/v1/events/{slug}": {
                "get": {"summary": "An event with the places left", "parameters": [path_param("slug", "The event's slug")],
                    "responses": {"200": ok("The event", "Event"), "404": error_response("No such event")}},
                "put": {"summary": "Set an event up again (more places promote waiting delegates)", "security": secured,
                    "parameters": [path_param("slug", "The event's slug")], "requestBody": body("EventSetup"),
                    "responses": {"200": ok("The event", "Event"), "404": error_response("No such event"), "422": error_response("Invalid fields, or a capacity below the places taken")}}},
            "/api/v1/events/{slug}/countries/{code}": {"put": {"summary": "Set a country quota (raising it promotes waiting delegates)", "security": secured,
                "parameters": [path_param("slug", "The event's slug"), path_param("code", "ISO 3166-1 alpha-2")], "requestBody": body("Capacity"),
                "responses": {"200": {"description": "The quota"}, "422": error_response("Below the places taken, or invalid")}}},
            "/api/v1/events/{slug}/sessions": {"post": {"summary": "Create a session", "security": secured, "parameters": [path_param("slug", "The event's slug")],
                "requestBody": body("NewSession"), "responses": {"201": ok("The session", "Session"), "409": error_response("Code taken"), "422": error_response("Invalid fields")}}},
            "/api/v1/events/{slug}/sessions/{code}": {"put": {"summary": "Set a session up again (more seats promote waiting delegates)", "security": secured,
                "parameters": [path_param("slug", "The event's slug"), path_param("code", "The session's code")], "requestBody": body("SessionSetup"),
                "responses": {"200": ok("The session", "Session"), "404": error_response("No such event or session"), "422": error_response("Invalid fields, or fewer seats than are taken")}}},
            "/api/v1/events/{slug}/registrations": {
                "post": {"summary": "Register a delegate", "parameters": [path_param("slug", "The event's slug"),
                        {"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 255},
                         "description": "A random value (a UUID). A retry with the same key and body from the same client address within 24 hours gets the first answer again."}],
                    "requestBody": body("NewRegistration"),
                    "responses": {"201": ok("Confirmed or waitlisted", "Registration"), "409": error_response("Duplicate or closed"), "413": error_response("Body too large"), "415": error_response("Body not sent as application/json"), "422": error_response("Invalid fields")}},
                "get": {"summary": "List registrations", "security": secured, "parameters": list_filters(), "responses": {"200": ok("A page", "Page")}}},
            "/api/v1/events/{slug}/registrations.csv": {"get": {"summary": "Export as CSV (streamed)", "security": secured,
                "parameters": csv_parameters,
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}}}},
            "/api/v1/events/{slug}/registrations.xlsx": {"get": {"summary": "Export as Excel", "security": secured, "parameters": list_filters(),
                "responses": {"200": {"description": "XLSX", "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}}},
            "/api/v1/events/{slug}/emails": {"get": {"summary": "The outbox: kind, recipient, status, attempts, last error", "security": secured,
                "parameters": [path_param("slug", "The event's slug")], "responses": {"200": ok("A page", "Page")}}},
            "/api/v1/events/{slug}/email-texts/{kind}/{language}": {
                "put": {"summary": "Set the organisers' own wording of an email", "security": secured,
                    "parameters": [path_param("slug", "The event's slug"), path_param("kind", "confirmation, waitlisted, promoted, sessions_changed or cancelled"), path_param("language", "en, fr, es or pt")],
                    "requestBody": body("EmailText"), "responses": {"200": {"description": "Saved"}, "422": error_response("Unknown placeholder")}},
                "delete": {"summary": "Back to the built-in wording", "security": secured,
                    "parameters": [path_param("slug", "The event's slug"), path_param("kind", "Email kind"), path_param("language", "Language")],
                    "responses": {"204": {"description": "Removed"}, "404": error_response("No such text")}}},
            "/api/v1/events/{slug}/registrations/{id}/resend": {"post": {"summary": "Send the last confirmation again", "security": secured,
                "parameters": [path_param("slug", "The event's slug"), path_param("id", "Registration id")],
                "responses": {"202": {"description": "Queued"}, "404": error_response("No such registration")}}},
            "/api/v1/registrations/{token}": {"get": {"summary": "A registration by its private token", "parameters": [path_param("token", "The private token")],
                "responses": {"200": ok("The registration", "Registration"), "404": error_response("Unknown token")}}},
            "/api/v1/registrations/{token}/cancel": {"post": {"summary": "Cancel; freed places go to the waiting lists at once", "parameters": [path_param("token", "The private token")],
                "responses": {"200": ok("The cancelled registration", "Registration")}}},
            "/api/v1/registrations/{token}/sessions": {"put": {"summary": "Change the chosen sessions", "parameters": [path_param("token", "The private token")],
                "requestBody": body("SessionChoices"), "responses": {"200": ok("The registration", "Registration"), "409": error_response("Cancelled"), "422": error_response("Unknown or overlapping sessions")}}}
        }
    })
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
