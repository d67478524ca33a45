"""Communication 2.1 Statement Resource: PUT, POST, GET (single and queries), voiding, formats."""

import json
import uuid

import pytest

from lms.xapi.models import Statement
from lms.xapi.tests.lrs import Lrs, statement

pytestmark = pytest.mark.django_db

AGENT_B = {"objectType": "Agent", "mbox": "mailto:budi@example.org"}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def ids_of(response):
    return [s["id"] for s in response.json()["statements"]]


# 2.1.1 PUT ---------------------------------------------------------------------------------------


def test_put_stores_with_the_given_id_and_repeats_are_idempotent():
    lrs = Lrs()
    sid = str(uuid.uuid4())
    assert lrs.put("statements", statement(), query=f"?statementId={sid}").status_code == 204
    assert lrs.put("statements", statement(), query=f"?statementId={sid}").status_code == 204
    assert Statement.objects.count() == 1
    changed = statement(verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    response = lrs.put("statements", changed, query=f"?statementId={sid}")
    assert response.status_code == 409
    assert Statement.objects.get(pk=sid).verb == "http://adlnet.gov/expapi/verbs/experienced"


def test_put_needs_statement_id_and_a_matching_id():
    lrs = Lrs()
    assert lrs.put("statements", statement()).status_code == 400
    sid = str(uuid.uuid4())
    other = statement(id=str(uuid.uuid4()))
    response = lrs.put("statements", other, query=f"?statementId={sid}")
    assert response.status_code == 400 and "differs" in response.json()["error"]["message"]


# 2.1.2 POST --------------------------------------------------------------------------------------


def test_post_one_or_many_returns_ids_in_order():
    lrs = Lrs()
    given = str(uuid.uuid4())
    response = lrs.post("statements", [statement(id=given), statement()])
    assert response.status_code == 200
    ids = response.json()
    assert ids[0] == given and len(ids) == 2
    assert Statement.objects.count() == 2


def test_a_batch_with_one_invalid_statement_stores_none():
    lrs = Lrs()
    bad = statement(verb={"id": "not an iri"})
    response = lrs.post("statements", [statement(), statement(), bad])
    assert response.status_code == 400
    assert "statements[2].verb.id" in response.json()["error"]["message"]
    assert not Statement.objects.exists()


def test_a_batch_conflicting_with_a_stored_statement_stores_none():
    lrs = Lrs()
    sid = str(uuid.uuid4())
    lrs.post("statements", statement(id=sid))
    response = lrs.post("statements", [statement(), statement(id=sid, verb={"id": "http://x.org/other"})])
    assert response.status_code == 409
    assert Statement.objects.count() == 1


def test_validation_errors_name_the_property():
    lrs = Lrs()
    response = lrs.post("statements", statement(actor={"mbox": "ani@example.org"}))
    assert response.status_code == 400
    assert "actor" in response.json()["error"]["message"]
    response = lrs.post("statements", statement(result={"score": {"scaled": 2}}))
    assert "result.score.scaled" in response.json()["error"]["message"]
    response = lrs.post("statements", {**statement(), "color": "blue"})
    assert "color" in response.json()["error"]["message"]


# 2.1.3 GET ---------------------------------------------------------------------------------------


def test_get_single_statement_keeps_it_exactly():
    lrs = Lrs()
    sid = str(uuid.uuid4())
    body = statement(timestamp="2026-03-01T08:15:30.123456+07:00")
    lrs.put("statements", body, query=f"?statementId={sid}")
    got = lrs.get("statements", {"statementId": sid})
    assert got.status_code == 200
    data = got.json()
    assert data["timestamp"] == "2026-03-01T08:15:30.123456+07:00"
    assert data["stored"] and data["version"] and data["authority"]
    assert got["Last-Modified"] and got["X-Experience-API-Consistent-Through"]
    assert lrs.get("statements", {"statementId": str(uuid.uuid4())}).status_code == 404
    assert lrs.get("statements", {"statementId": "nope"}).status_code == 400
    assert lrs.get("statements", {"statementId": sid, "verb": "http://x.org/v"}).status_code == 400


def test_queries_filter_by_agent_verb_activity_registration_and_time():
    lrs = Lrs()
    registration = str(uuid.uuid4())
    a = lrs.post("statements", statement(context={"registration": registration})).json()[0]
    b = lrs.post("statements", statement(actor=AGENT_B)).json()[0]
    c = lrs.post("statements", statement(verb={"id": "http://adlnet.gov/expapi/verbs/passed"})).json()[0]
    d = lrs.post("statements", statement(object={"id": "http://example.org/activity/2"})).json()[0]
    e = lrs.post("statements", statement(object=AGENT_B)).json()[0]
    assert set(ids_of(lrs.get("statements", {"agent": json.dumps(AGENT_B)}))) == {b, e}
    assert ids_of(lrs.get("statements", {"verb": "http://adlnet.gov/expapi/verbs/passed"})) == [c]
    assert ids_of(lrs.get("statements", {"activity": "http://example.org/activity/2"})) == [d]
    assert ids_of(lrs.get("statements", {"registration": registration})) == [a]
    stored_c = Statement.objects.get(pk=c).stored.isoformat()
    since = ids_of(lrs.get("statements", {"since": stored_c}))
    assert c not in since and d in since and a not in since
    until = ids_of(lrs.get("statements", {"until": stored_c}))
    assert c in until and d not in until
    assert ids_of(lrs.get("statements", {"ascending": "true"}))[0] == a
    assert ids_of(lrs.get("statements"))[0] == e


def test_related_agents_and_activities():
    lrs = Lrs()
    instructor = {"objectType": "Agent", "mbox": "mailto:guru@example.org"}
    parent = "http://example.org/course/1"
    sid = lrs.post(
        "statements", statement(context={"instructor": instructor, "contextActivities": {"parent": [{"id": parent}]}})
    ).json()[0]
    assert ids_of(lrs.get("statements", {"agent": json.dumps(instructor)})) == []
    assert ids_of(lrs.get("statements", {"agent": json.dumps(instructor), "related_agents": "true"})) == [sid]
    assert ids_of(lrs.get("statements", {"activity": parent})) == []
    assert ids_of(lrs.get("statements", {"activity": parent, "related_activities": "true"})) == [sid]


def test_limit_and_more_page_through_everything_once():
    lrs = Lrs()
    posted = lrs.post("statements", [statement() for _ in range(7)]).json()
    seen, params = [], {"limit": "3"}
    response = lrs.get("statements", params)
    while True:
        seen += ids_of(response)
        more = response.json()["more"]
        if not more:
            break
        response = lrs.http.get(more, **lrs.auth)
        assert response.status_code == 200
    assert sorted(seen) == sorted(posted) and len(seen) == 7
    assert lrs.get("statements", {"more": "forged"}).status_code == 400


def test_bad_query_parameters_are_400():
    lrs = Lrs()
    for params in (
        {"limit": "-1"},
        {"limit": "x"},
        {"format": "full"},
        {"ascending": "yes"},
        {"agent": "{not json"},
        {"agent": json.dumps({"name": "no ifi"})},
        {"since": "yesterday"},
        {"registration": "nope"},
        {"unknown": "1"},
    ):
        response = lrs.get("statements", params)
        assert response.status_code == 400, params
        assert response.json()["error"]["message"]


# Formats -----------------------------------------------------------------------------------------


def test_formats_ids_and_canonical():
    lrs = Lrs()
    sid = lrs.post(
        "statements",
        statement(
            verb={
                "id": "http://adlnet.gov/expapi/verbs/experienced",
                "display": {"en-US": "experienced", "id-ID": "mempelajari"},
            },
        ),
    ).json()[0]
    ids = lrs.get("statements", {"statementId": sid, "format": "ids"}).json()
    assert ids["verb"] == {"id": "http://adlnet.gov/expapi/verbs/experienced"}
    assert ids["object"] == {"id": "http://example.org/activity/1"}
    assert "name" not in ids["actor"]
    canonical = lrs.get("statements", {"statementId": sid, "format": "canonical"}, HTTP_ACCEPT_LANGUAGE="id-ID").json()
    assert canonical["verb"]["display"] == {"id-ID": "mempelajari"}


# Voiding (Data 2.3.2) ----------------------------------------------------------------------------


def test_voiding_hides_the_target_from_queries_but_not_from_voided_statement_id():
    lrs = Lrs()
    target = lrs.post("statements", statement()).json()[0]
    voiding = statement(
        verb={"id": VOIDED, "display": {"en-US": "voided"}}, object={"objectType": "StatementRef", "id": target}
    )
    voider = lrs.post("statements", voiding).json()[0]
    assert target not in ids_of(lrs.get("statements"))
    assert voider in ids_of(lrs.get("statements"))
    assert lrs.get("statements", {"statementId": target}).status_code == 404
    assert lrs.get("statements", {"voidedStatementId": target}).json()["id"] == target
    again = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voider})
    response = lrs.post("statements", again)
    assert response.status_code == 400
    assert Statement.objects.filter(voided=True).count() == 1


def test_related_agents_matches_the_authority_that_sent_the_statement():
    """Comm 2.1.3 related_agents includes the Authority."""
    sender, other = Lrs(), Lrs()
    mine = sender.post("statements", statement()).json()[0]
    other.post("statements", statement())
    authority = Statement.objects.get(pk=mine).data["authority"]
    found = ids_of(sender.get("statements", {"agent": json.dumps(authority), "related_agents": "true"}))
    assert found == [mine]
    assert ids_of(sender.get("statements", {"agent": json.dumps(authority)})) == []


def test_consistent_through_is_on_every_statements_response_errors_included():
    """Comm 2.1.3: clients wait on X-Experience-API-Consistent-Through, also after a 400 or 404."""
    lrs = Lrs()
    for response in (
        lrs.get("statements", {"LIMIT": "1"}),
        lrs.get("statements", {"statementId": str(uuid.uuid4())}),
        lrs.get("statements"),
    ):
        assert response["X-Experience-API-Consistent-Through"]


def test_a_wrong_method_is_405_before_authentication():
    """Comm 3.2: DELETE on /statements is 405 whoever asks."""
    from django.test import Client

    response = Client().delete("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.1")
    assert response.status_code == 405 and "GET" in response["Allow"]


def test_json_responses_say_application_json_exactly():
    lrs = Lrs()
    assert lrs.get("statements", {"attachments": "false", "limit": "1"})["Content-Type"] == "application/json"
    sid = lrs.post("statements", statement()).json()[0]
    assert lrs.get("statements", {"statementId": sid})["Content-Type"] == "application/json"


def test_canonical_prefers_the_exact_language_tag():
    lrs = Lrs()
    names = {"en": "colour", "en-GB": "colour (GB)", "en-US": "color"}
    sid = lrs.post(
        "statements", statement(object={"id": "http://example.org/a", "definition": {"name": names}})
    ).json()[0]
    got = lrs.get("statements", {"statementId": sid, "format": "canonical"}, HTTP_ACCEPT_LANGUAGE="en-GB").json()
    assert got["object"]["definition"]["name"] == {"en-GB": "colour (GB)"}


def test_statements_referring_to_a_match_are_returned_too():
    """Comm 2.1.3 filter conditions: a statement whose object is a StatementRef matches when its target
    does (even a voided target); the voided target itself is not returned."""
    lrs = Lrs()
    verb_x = {"id": "http://example.org/verbs/x"}
    target = lrs.post("statements", statement(verb=verb_x)).json()[0]
    ref = lrs.post("statements", statement(verb=verb_x, object={"objectType": "StatementRef", "id": target})).json()[0]
    other_ref = lrs.post("statements", statement(object={"objectType": "StatementRef", "id": target})).json()[0]
    voider = lrs.post(
        "statements", statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target})
    ).json()[0]
    found = ids_of(lrs.get("statements", {"verb": verb_x["id"]}))
    assert set(found) == {ref, other_ref, voider}
    assert target not in found


def test_voiding_a_voiding_statement_that_voided_nothing_is_allowed():
    """Data 2.3.2: only a voiding statement that voided something cannot be voided."""
    lrs = Lrs()
    dangling = lrs.post(
        "statements", statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": str(uuid.uuid4())})
    ).json()[0]
    response = lrs.post(
        "statements", statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": dangling})
    )
    assert response.status_code == 200
    assert lrs.get("statements", {"voidedStatementId": dangling}).status_code == 200


def test_a_single_context_activity_is_returned_as_a_list():
    """Data 2.4.6.2 contextActivities: the LRS returns arrays."""
    lrs = Lrs()
    sent = statement(context={"contextActivities": {"parent": {"id": "http://example.org/course"}}})
    sid = lrs.post("statements", sent).json()[0]
    assert lrs.get("statements", {"statementId": sid}).json()["context"]["contextActivities"]["parent"] == [
        {"id": "http://example.org/course"}
    ]
    assert lrs.post("statements", {**sent, "id": sid}).status_code == 200  # the same statement again
