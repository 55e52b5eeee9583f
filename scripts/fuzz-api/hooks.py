"""Schemathesis hooks for scripts/fuzz-api.sh.

The OpenAPI document states every rule on a single value (alphabets,
lengths, ranges, vocabularies). A few rules relate two values, or a value
and what the database holds, and JSON Schema cannot state them; the server
answers 422 for them, as the document says. So that a request generated as
valid is valid, each positive case is brought within these rules here, and
nothing else is changed. Negative cases are left as generated.

  * an event ends on or after it starts; registration closes after it opens
    (`organiser_input::EventSetup::parse`);
  * texts by language are only for the event's languages;
  * a session ends after it starts (`SessionSetup::parse`);
  * a changed set-up keeps its slug, reference prefix and code, and keeps
    room for the places already taken (`registration::admin`);
  * a quota keeps room for the places its country has taken;
  * chosen sessions and the `session` filter name the event's sessions
    (sessions exist per event, the document is for every event).
"""

from datetime import datetime, timedelta

import schemathesis
from schemathesis import GenerationMode


def instant(text):
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def ordered(body, first, then, strictly):
    """Swaps `first` and `then` if they are the wrong way round; moves
    `then` one day on when `strictly` and they are the same instant."""
    start, end = instant(body.get(first)), instant(body.get(then))
    if start is None or end is None or (start.tzinfo is None) != (end.tzinfo is None):
        return
    if end < start:
        body[first], body[then] = body[then], body[first]
    elif strictly and end == start:
        body[then] = (end + timedelta(days=1)).isoformat()


def only_languages(body, field, languages):
    texts = body.get(field)
    if isinstance(texts, dict):
        body[field] = {code: text for code, text in texts.items() if code in languages}


EVENT_LANGUAGES = ("en", "fr", "es", "pt")


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return case
    operation = (case.method.upper(), case.operation.path)
    body = case.body if isinstance(case.body, dict) else None
    if operation in (("POST", "/api/v1/events"), ("PUT", "/api/v1/events/{slug}")) and body is not None:
        ordered(body, "starts_on", "ends_on", strictly=False)
        ordered(body, "registration_opens_at", "registration_closes_at", strictly=True)
        languages = body.get("languages") or []
        for field in ("names", "descriptions"):
            only_languages(body, field, languages)
        if operation[0] == "PUT":
            for field in ("slug", "reference_prefix", "capacity", "default_country_capacity"):
                body.pop(field, None)
    if operation in (
        ("POST", "/api/v1/events/{slug}/sessions"),
        ("PUT", "/api/v1/events/{slug}/sessions/{code}"),
    ) and body is not None:
        ordered(body, "starts_at", "ends_at", strictly=True)
        for field in ("titles", "descriptions"):
            only_languages(body, field, EVENT_LANGUAGES)
        if operation[0] == "PUT":
            for field in ("code", "capacity"):
                body.pop(field, None)
    if operation == ("PUT", "/api/v1/events/{slug}/countries/{code}") and body is not None:
        body.pop("capacity", None)
    if operation in (
        ("POST", "/api/v1/events/{slug}/registrations"),
        ("PUT", "/api/v1/registrations/{token}/sessions"),
    ) and body is not None and body.get("sessions"):
        body["sessions"] = []
    if isinstance(case.query, dict):
        case.query.pop("session", None)
    return case
