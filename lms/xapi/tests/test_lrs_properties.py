"""Property-based hostile input (hypothesis): whatever a client sends, the validator answers with a
XapiValidationError or accepts, and the endpoints answer with a 2xx or a 4xx carrying a message, never
a 500, and a refused request stores nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lms.xapi.models import Document, Statement
from lms.xapi.tests.lrs import Lrs, statement
from lms.xapi.validation import XapiValidationError, validate_statement

pytestmark = pytest.mark.django_db

PROPERTIES = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    # values that look almost right: IRIs, mailtos, UUID- and date-like strings, language tags
    st.sampled_from(
        [
            "http://example.org/x",
            "mailto:ani@example.org",
            "mailto:",
            "urn:x",
            "ftp://x y",
            "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "fd41c918-b88b-4b20-a0a5-a4c32391aaaz",
            "2026-03-01T08:15:30+07:00",
            "2026-02-30T08:15:30Z",
            "PT1H",
            "P1Y2MT",
            "en-US",
            "id_ID",
            "Agent",
            "Group",
            "SubStatement",
            "StatementRef",
            "Activity",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
KEYS = [
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
    "objectType",
    "mbox",
    "account",
    "member",
    "display",
    "definition",
    "score",
    "scaled",
    "raw",
    "min",
    "max",
    "duration",
    "registration",
    "contextActivities",
    "extensions",
    "instructor",
    "team",
    "statement",
    "language",
    "revision",
    "platform",
]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


@st.composite
def mutated_statements(draw) -> dict[str, Any]:
    """A valid statement with a few of its parts replaced, removed or added: close enough to valid that
    the validator's deeper rules are reached."""
    base = statement(
        result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "success": True, "duration": "PT5M"},
        context={
            "registration": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "contextActivities": {"parent": [{"id": "http://example.org/course/1"}]},
            "instructor": {"mbox": "mailto:guru@example.org"},
            "extensions": {"http://example.org/ext": {"a": [1, 2]}},
        },
        timestamp="2026-03-01T08:15:30+07:00",
    )
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(base)))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            continue
        parent = base
        for step in path[:-1]:
            parent = parent[step]
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete" and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif action == "add" and isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.sampled_from(KEYS))] = draw(json_values)
    return base


@PROPERTIES
@given(json_values)
def test_the_validator_refuses_any_json_with_its_own_error(value):
    try:
        validate_statement(value)
    except XapiValidationError as error:
        assert str(error)


@PROPERTIES
@given(mutated_statements())
def test_the_validator_refuses_near_valid_statements_with_its_own_error(value):
    original = copy.deepcopy(value)
    try:
        validate_statement(value)
    except XapiValidationError as error:
        assert str(error).startswith("statement")  # names the offending property
    assert value == original  # validation never changes what it reads


@PROPERTIES
@given(st.one_of(mutated_statements(), st.lists(mutated_statements(), min_size=1, max_size=3)))
def test_posting_any_statement_is_stored_whole_or_refused_with_a_message(payload):
    lrs = Lrs()
    before = Statement.objects.count()
    response = lrs.post("statements", payload)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 400, 409), response.content
    if response.status_code == 200:
        assert Statement.objects.count() == before + len(response.json())
    else:
        assert response.json()["error"]["message"]
        assert Statement.objects.count() == before


@PROPERTIES
@given(st.binary(max_size=200))
def test_any_bytes_as_a_body_get_a_4xx(body):
    response = Lrs().post("statements", body)
    assert 400 <= response.status_code < 500, response.content
    assert not Statement.objects.exists()


query_names = st.sampled_from(
    [
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
        "statementId",
        "voidedStatementId",
        "more",
        "unknown",
    ]
)
query_values = st.one_of(
    st.text(max_size=30),
    json_values.map(json.dumps),
    st.sampled_from(['{"mbox": "mailto:ani@example.org"}', "true", "false", "ids", "canonical", "-1", "10"]),
)


@PROPERTIES
@given(st.dictionaries(query_names, query_values, max_size=4))
def test_any_statement_query_gets_a_page_or_a_4xx(params):
    response = Lrs().get("statements", params)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 400, 404), response.content
    if response.status_code != 200:
        assert response.json()["error"]["message"]


VALID_STATE = {
    "activityId": "http://example.org/a",
    "agent": '{"mbox": "mailto:ani@example.org"}',
    "stateId": "bookmark",
    "registration": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
}


@st.composite
def document_params(draw) -> dict[str, str]:
    """Valid state parameters with, most of the time, one of them dropped, corrupted or added."""
    params = dict(VALID_STATE)
    if draw(st.booleans()):
        params.pop("registration")
    change = draw(st.sampled_from(["none", "drop", "corrupt", "add"]))
    name = draw(st.sampled_from([*VALID_STATE, "since", "unknown"]))
    if change == "drop":
        params.pop(name, None)
    elif change in ("corrupt", "add"):
        params[name] = draw(query_values)
    return params


@PROPERTIES
@given(
    document_params(),
    st.sampled_from(["get", "put", "post", "delete"]),
    st.one_of(json_values.map(json.dumps), st.binary(max_size=50)),
)
def test_the_state_resource_answers_any_request_without_a_500(params, method, body):
    lrs = Lrs()
    before = Document.objects.count()
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    if method == "get":
        response = lrs.get("activities/state", params)
    elif method == "delete":
        from urllib.parse import urlencode

        response = lrs.delete("activities/state", query="?" + urlencode(params) if params else "")
    else:
        from urllib.parse import urlencode

        query = "?" + urlencode(params) if params else ""
        response = getattr(lrs, method)("activities/state", body, query=query)
    event(f"{method} status {response.status_code}")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response.json()["error"]["message"]
        assert Document.objects.count() == before
