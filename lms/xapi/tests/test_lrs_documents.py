"""Communication 2.3-2.7: State, Activity Profile and Agent Profile resources."""

import json
import time

import pytest

from lms.xapi.tests.lrs import Lrs

pytestmark = pytest.mark.django_db

AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:ani@example.org"})
ACTIVITY = "http://example.org/activity/1"


def q(**params):
    from urllib.parse import urlencode

    return "?" + urlencode(params)


# 2.3 State ---------------------------------------------------------------------------------------


def test_state_put_get_list_delete():
    lrs = Lrs()
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    assert lrs.put("activities/state", {"page": 3}, query=q(stateId="resume", **scope)).status_code == 204
    got = lrs.get("activities/state", {"stateId": "resume", **scope})
    assert got.status_code == 200 and got.json() == {"page": 3}
    assert got["ETag"].strip('"') and got["Content-Type"].startswith("application/json")
    lrs.put("activities/state", b"raw bytes", query=q(stateId="blob", **scope), content_type="application/octet-stream")
    assert bytes(lrs.get("activities/state", {"stateId": "blob", **scope}).content) == b"raw bytes"
    assert sorted(lrs.get("activities/state", scope).json()) == ["blob", "resume"]
    assert lrs.delete("activities/state", query=q(stateId="blob", **scope)).status_code == 204
    assert lrs.get("activities/state", scope).json() == ["resume"]
    assert lrs.delete("activities/state", query=q(**scope)).status_code == 204
    assert lrs.get("activities/state", scope).json() == []
    assert lrs.get("activities/state", {"stateId": "resume", **scope}).status_code == 404


def test_state_is_scoped_by_registration_and_agent():
    lrs = Lrs()
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    reg = "2d6b1c5e-7f0a-4b7e-9f1a-1c2d3e4f5a6b"
    lrs.put("activities/state", {"a": 1}, query=q(stateId="s", registration=reg, **scope))
    assert lrs.get("activities/state", {"stateId": "s", **scope}).status_code == 404
    assert lrs.get("activities/state", {"stateId": "s", "registration": reg, **scope}).json() == {"a": 1}
    other = json.dumps({"mbox": "mailto:budi@example.org"})
    assert (
        lrs.get(
            "activities/state", {"stateId": "s", "registration": reg, "activityId": ACTIVITY, "agent": other}
        ).status_code
        == 404
    )


def test_state_post_merges_json_objects_and_refuses_other_merges():
    lrs = Lrs()
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    lrs.post("activities/state", {"a": 1, "b": 1}, query=q(stateId="s", **scope))
    lrs.post("activities/state", {"b": 2, "c": 3}, query=q(stateId="s", **scope))
    assert lrs.get("activities/state", {"stateId": "s", **scope}).json() == {"a": 1, "b": 2, "c": 3}
    response = lrs.post("activities/state", b"plain", query=q(stateId="s", **scope), content_type="text/plain")
    assert response.status_code == 400
    response = lrs.post("activities/state", [1, 2], query=q(stateId="s", **scope))
    assert response.status_code == 400


def test_state_since_lists_only_newer_documents():
    lrs = Lrs()
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    lrs.put("activities/state", {"a": 1}, query=q(stateId="old", **scope))
    from lms.xapi.models import Document

    cut = Document.objects.get(document_id="old").updated.isoformat()
    time.sleep(0.01)
    lrs.put("activities/state", {"a": 1}, query=q(stateId="new", **scope))
    assert lrs.get("activities/state", {"since": cut, **scope}).json() == ["new"]


@pytest.mark.parametrize(
    "params",
    [
        {"agent": AGENT, "stateId": "s"},  # no activityId
        {"activityId": ACTIVITY, "stateId": "s"},  # no agent
        {"activityId": "not an iri", "agent": AGENT, "stateId": "s"},
        {"activityId": ACTIVITY, "agent": "{broken", "stateId": "s"},
        {"activityId": ACTIVITY, "agent": json.dumps({"name": "no ifi"}), "stateId": "s"},
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s", "registration": "nope"},
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s", "since": "x"},
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s", "bogus": "1"},
    ],
)
def test_state_bad_parameters_are_400(params):
    response = Lrs().get("activities/state", params)
    assert response.status_code == 400, params
    assert response.json()["error"]["message"]


# 2.6 / 2.7 Profiles and concurrency (Comm 3.1) -----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "scope"),
    [("activities/profile", {"activityId": ACTIVITY}), ("agents/profile", {"agent": AGENT})],
)
def test_profiles_use_etags_for_concurrency(path, scope):
    lrs = Lrs()
    # A profile PUT says what it expects: If-None-Match: * for a new document (else 400) ...
    assert lrs.put(path, {"v": 1}, query=q(profileId="p", **scope)).status_code == 400
    assert lrs.put(path, {"v": 1}, query=q(profileId="p", **scope), HTTP_IF_NONE_MATCH="*").status_code == 204
    # ... and overwriting without saying what you overwrite is a conflict.
    assert lrs.put(path, {"v": 2}, query=q(profileId="p", **scope)).status_code == 409
    etag = lrs.get(path, {"profileId": "p", **scope})["ETag"]
    assert lrs.put(path, {"v": 2}, query=q(profileId="p", **scope), HTTP_IF_MATCH='"stale"').status_code == 412
    assert lrs.put(path, {"v": 2}, query=q(profileId="p", **scope), HTTP_IF_MATCH=etag).status_code == 204
    assert lrs.put(path, {"v": 3}, query=q(profileId="p", **scope), HTTP_IF_NONE_MATCH="*").status_code == 412
    assert lrs.get(path, {"profileId": "p", **scope}).json() == {"v": 2}
    assert lrs.put(path, {"n": 1}, query=q(profileId="new", **scope), HTTP_IF_NONE_MATCH="*").status_code == 204
    assert sorted(lrs.get(path, scope).json()) == ["new", "p"]
    assert lrs.delete(path, query=q(**scope)).status_code == 400  # a profile is deleted one at a time
    assert lrs.delete(path, query=q(profileId="p", **scope), HTTP_IF_MATCH='"stale"').status_code == 412
    assert lrs.delete(path, query=q(profileId="p", **scope)).status_code == 204
    assert lrs.get(path, {"profileId": "p", **scope}).status_code == 404


def test_document_scopes_are_enforced():
    reader = Lrs(scopes=("statements/read",))
    scope = {"activityId": ACTIVITY, "agent": AGENT}
    assert reader.put("activities/state", {"a": 1}, query=q(stateId="s", **scope)).status_code == 403
    stateful = Lrs(scopes=("state",))
    assert stateful.put("activities/state", {"a": 1}, query=q(stateId="s", **scope)).status_code == 204
    assert stateful.put("activities/profile", {"a": 1}, query=q(profileId="p", activityId=ACTIVITY)).status_code == 403


def test_learner_session_state_only_for_themself(client):
    from lms.xapi.actors import actor_for_user
    from shell.people.tests.factories import UserFactory

    learner = UserFactory()
    client.force_login(learner)
    own = json.dumps(actor_for_user(learner))
    headers = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    url = "/xapi/activities/state" + q(activityId=ACTIVITY, agent=own, stateId="resume")
    assert client.put(url, json.dumps({"p": 1}), content_type="application/json", **headers).status_code == 204
    assert client.get(url, **headers).json() == {"p": 1}
    foreign = "/xapi/activities/state" + q(activityId=ACTIVITY, agent=AGENT, stateId="resume")
    assert client.get(foreign, **headers).status_code == 403


# 2.5 Activities, 2.6 Agents ----------------------------------------------------------------------


def test_activities_resource_returns_the_definition():
    from lms.xapi.tests.lrs import statement

    lrs = Lrs()
    lrs.post("statements", statement(object={"id": ACTIVITY, "definition": {"name": {"en-US": "One"}}}))
    lrs.post("statements", statement(object={"id": ACTIVITY, "definition": {"name": {"id-ID": "Satu"}}}))
    body = lrs.get("activities", {"activityId": ACTIVITY}).json()
    assert body["id"] == ACTIVITY and body["definition"]["name"] == {"en-US": "One", "id-ID": "Satu"}
    assert lrs.get("activities").status_code == 400


def test_agents_resource_returns_a_person():
    lrs = Lrs()
    person = lrs.get("agents", {"agent": AGENT}).json()
    assert person["objectType"] == "Person" and person["mbox"] == ["mailto:ani@example.org"]
    assert lrs.get("agents").status_code == 400
