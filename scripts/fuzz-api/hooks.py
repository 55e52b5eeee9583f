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
  * a changed session and a quota keep room for the seats and places
    already taken (`registration::admin`, `registration::set_country_capacity`);
  * an `Idempotency-Key` sent again comes with the same body;
  * a registration's language and an email text's are the event's
    (read from the server: set-ups change them);
  * chosen sessions and the `session` filter name the event's sessions
    (sessions exist per event, the document is for every event);
  * an `after` cursor is a `next` the server answered for that list.
"""

import hashlib
import json
import os
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

import schemathesis
from hypothesis.internal import lambda_sources
from schemathesis import GenerationMode

# CPython before 3.11.8 can fail `ast.parse` deep in a call stack
# ("AST constructor recursion depth mismatch", CPython gh-106905); Hypothesis
# parses a lambda's source only to name a strategy in its repr, so a name
# is given instead of failing the whole operation.
_lambda_description = lambda_sources.lambda_description


def _named_lambda(function):
    try:
        return _lambda_description(function)
    except SystemError:
        return "lambda"


lambda_sources.lambda_description = _named_lambda


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


def event_languages(slug):
    """The languages of the event `slug` as the server has them now (other
    operations change them), or None when there is no such event."""
    url = f"{os.environ['RENCONTRE_FUZZ_BASE']}/api/v1/events/{urllib.parse.quote(str(slug), safe='')}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response).get("languages")
    except (OSError, ValueError):
        return None


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return case
    operation = (case.method.upper(), case.operation.path)
    body = case.body if isinstance(case.body, dict) else None
    slug = (case.path_parameters or {}).get("slug")
    if operation in (("POST", "/api/v1/events"), ("PUT", "/api/v1/events/{slug}")) and body is not None:
        ordered(body, "starts_on", "ends_on", strictly=False)
        ordered(body, "registration_opens_at", "registration_closes_at", strictly=True)
        for field in ("names", "descriptions"):
            only_languages(body, field, body.get("languages") or [])
    if operation in (
        ("POST", "/api/v1/events/{slug}/sessions"),
        ("PUT", "/api/v1/events/{slug}/sessions/{code}"),
    ) and body is not None:
        ordered(body, "starts_at", "ends_at", strictly=True)
        languages = event_languages(slug) or []
        for field in ("titles", "descriptions"):
            only_languages(body, field, languages)
        if operation[0] == "PUT":
            body.pop("capacity", None)
    if operation == ("PUT", "/api/v1/events/{slug}/countries/{code}") and body is not None:
        body.pop("capacity", None)
    if operation == ("POST", "/api/v1/events/{slug}/registrations") and body is not None:
        if body.get("language") not in (event_languages(slug) or []):
            body.pop("language", None)
        # A key sent again must come with the same body: one key per body.
        if case.headers and "Idempotency-Key" in case.headers:
            digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
            case.headers["Idempotency-Key"] = f"fuzz-{digest}"
    if operation in (
        ("POST", "/api/v1/events/{slug}/registrations"),
        ("PUT", "/api/v1/registrations/{token}/sessions"),
    ) and body is not None and body.get("sessions"):
        body["sessions"] = []
    if case.operation.path.startswith("/api/v1/events/{slug}/email-texts/"):
        languages = event_languages(slug)
        if languages and case.path_parameters.get("language") not in languages:
            case.path_parameters["language"] = languages[0]
    if isinstance(case.query, dict):
        # A cursor is one the server answered (`next`, `previous`), for the
        # same list.
        for parameter in ("session", "after", "before"):
            case.query.pop(parameter, None)
    return case
