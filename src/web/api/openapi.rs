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

pub fn document() -> Value {
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
                        {"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 255}}],
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
