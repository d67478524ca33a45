"""Communication, Part Three: headers, versioning, alternate request syntax, CORS, authentication."""

import base64
import json
import urllib.parse

import pytest
from django.test import Client

from lms.xapi.models import Statement
from lms.xapi.tests.lrs import Lrs, basic, statement

pytestmark = pytest.mark.django_db


def test_about_needs_no_auth_and_lists_versions():
    """Comm 2.8 About resource."""
    response = Client().get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.json()["version"]
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_version_header_is_required_and_checked():
    """Comm 3.3 Versioning: requests without X-Experience-API-Version are refused with 400."""
    lrs = Lrs()
    response = Client().get("/xapi/statements", HTTP_AUTHORIZATION=basic(lrs.key, lrs.secret))
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["error"]["message"]
    response = lrs.get("statements", HTTP_X_EXPERIENCE_API_VERSION="0.95")
    assert response.status_code == 400
    assert lrs.get("statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.1").status_code == 200


def test_every_response_has_version_date_and_cors_headers():
    """Comm 3.3 (version header on every response), 1.1 (Date for consistency), CORS."""
    lrs = Lrs()
    for response in (
        lrs.get("statements"),
        lrs.get("statements", {"verb": "not an iri", "limit": "x"}),
        Client().get("/xapi/statements"),
        Client().options("/xapi/statements"),
    ):
        assert response["X-Experience-API-Version"] == "1.0.3"
        assert response["Date"]
        assert response["Access-Control-Allow-Origin"] == "*"


def test_no_credentials_or_wrong_secret_is_401_with_a_challenge():
    """Comm 4 Authentication."""
    lrs = Lrs()
    anonymous = Client().get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Basic")
    wrong = Client().get(
        "/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", HTTP_AUTHORIZATION=basic(lrs.key, "nope")
    )
    assert wrong.status_code == 401
    garbage = Client().get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", HTTP_AUTHORIZATION="Basic !!!")
    assert garbage.status_code == 401


def test_scopes_limit_what_a_client_may_do():
    """Comm 4.2 OAuth scopes: statements/write, statements/read, statements/read/mine."""
    writer = Lrs(scopes=("statements/write",))
    assert writer.post("statements", statement()).status_code == 200
    assert writer.get("statements").status_code == 403
    reader = Lrs(scopes=("statements/read",))
    assert reader.post("statements", statement()).status_code == 403
    assert len(reader.get("statements").json()["statements"]) == 1
    mine = Lrs(scopes=("statements/read/mine", "statements/write"))
    assert mine.get("statements").json()["statements"] == []
    mine.post("statements", statement())
    assert len(mine.get("statements").json()["statements"]) == 1


def test_authority_reflects_the_client_that_sent_the_statement():
    """Data 2.4.9 Authority: set by the LRS from the credentials."""
    lrs = Lrs()
    forged = statement(authority={"objectType": "Agent", "mbox": "mailto:boss@example.org"})
    sid = lrs.post("statements", forged).json()[0]
    authority = Statement.objects.get(pk=sid).data["authority"]
    assert authority["account"]["name"] == lrs.key


def test_alternate_request_syntax():
    """Comm 1.3 Alternate Request Syntax: POST with ?method=, headers and content as form fields."""
    lrs = Lrs()
    form = {
        "Authorization": basic(lrs.key, lrs.secret),
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "content": json.dumps(statement(id="8f2a3a3e-7a5e-4c5b-9a53-2b2c9b7c1a11")),
        "statementId": "8f2a3a3e-7a5e-4c5b-9a53-2b2c9b7c1a11",
    }
    response = Client().post(
        "/xapi/statements?method=PUT", urllib.parse.urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204, response.content
    get_form = {
        "Authorization": basic(lrs.key, lrs.secret),
        "X-Experience-API-Version": "1.0.3",
        "statementId": "8f2a3a3e-7a5e-4c5b-9a53-2b2c9b7c1a11",
    }
    response = Client().post(
        "/xapi/statements?method=GET",
        urllib.parse.urlencode(get_form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json()["id"] == "8f2a3a3e-7a5e-4c5b-9a53-2b2c9b7c1a11"
    bad = Client().post(
        "/xapi/statements?method=GET&limit=1",
        urllib.parse.urlencode(get_form),
        content_type="application/x-www-form-urlencoded",
    )
    assert bad.status_code == 400


def test_head_is_get_without_a_body_and_204_has_no_body():
    """Comm 1.1 HEAD; HTTP: a 204 carries no body."""
    lrs = Lrs()
    sid = "d0a8c7a4-3b57-4d6a-8e57-6f0e6f9c2b10"
    put = lrs.put("statements", statement(), query=f"?statementId={sid}")
    assert put.status_code == 204 and put.content == b""
    head = lrs.head("statements", {"statementId": sid})
    assert head.status_code == 200 and head.content == b""


def test_unsupported_method_is_405():
    lrs = Lrs()
    response = lrs.http.patch("/xapi/statements", "{}", content_type="application/json", **lrs.auth)
    assert response.status_code == 405


def test_browser_session_may_post_only_as_the_learner_and_read_only_their_own(client):
    """Security: a logged-in learner's session writes as themself (actor checked or set)."""
    from shell.people.tests.factories import UserFactory

    learner, other = UserFactory(), UserFactory()
    client.force_login(learner)
    headers = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    body = statement()
    del body["actor"]
    response = client.post("/xapi/statements", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    stored = Statement.objects.get(pk=response.json()[0])
    assert stored.user == learner
    assert stored.data["actor"]["account"]["name"] == str(learner.uuid)
    as_other = statement(
        actor={"objectType": "Agent", "account": {"homePage": "http://127.0.0.1:8000", "name": str(other.uuid)}}
    )
    response = client.post("/xapi/statements", json.dumps(as_other), content_type="application/json", **headers)
    assert response.status_code == 403
    Lrs().post("statements", statement())  # someone else's statement
    listed = client.get("/xapi/statements", **headers).json()["statements"]
    assert [s["id"] for s in listed] == [str(stored.pk)]


def test_browser_session_needs_the_csrf_token(client):
    from shell.people.tests.factories import UserFactory

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    response = strict.post(
        "/xapi/statements",
        json.dumps(statement()),
        content_type="application/json",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe not utf-8", b"{", b"[" * 10000 + b"]" * 10000, b'{"a": NaN}', b"null", b"[]"],
)
def test_hostile_bodies_get_400_and_store_nothing(body):
    """Hostile input: invalid UTF-8, broken JSON, deep nesting, constants, empty batch."""
    response = Lrs().post("statements", body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    assert not Statement.objects.exists()


def test_a_too_large_body_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    big = statement(result={"response": "x" * (2 * 1024 * 1024)})
    response = Lrs().post("statements", big)
    assert response.status_code == 413
    assert not Statement.objects.exists()


def test_basic_credentials_decode_any_secret():
    key_secret = base64.b64encode(b"nobody:").decode()
    response = Client().get(
        "/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", HTTP_AUTHORIZATION=f"Basic {key_secret}"
    )
    assert response.status_code == 401


def test_create_lrs_client_command_makes_working_credentials():
    """`manage.py create_lrs_client NAME --key --secret [--scope]` (issue: LRS clients)."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("create_lrs_client", "Dinas X", "--key", "dinas-x", "--secret", "long-secret-1", stdout=out)
    assert "Created LRS client" in out.getvalue()
    response = Client().get(
        "/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", HTTP_AUTHORIZATION=basic("dinas-x", "long-secret-1")
    )
    assert response.status_code == 200
    call_command(
        "create_lrs_client",
        "Dinas X",
        "--key",
        "dinas-x",
        "--secret",
        "other-secret-2",
        "--scope",
        "statements/read",
        stdout=out,
    )
    old = Client().get(
        "/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", HTTP_AUTHORIZATION=basic("dinas-x", "long-secret-1")
    )
    assert old.status_code == 401
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_lrs_client", "Y", "--key", "y", "--secret", "long-secret-1", "--scope", "everything")
    with pytest.raises(CommandError, match="at least 8"):
        call_command("create_lrs_client", "Y", "--key", "y", "--secret", "short")


def test_alternate_syntax_without_a_content_type_field_means_json():
    """Comm 1.3: the form may carry only statementId and content (Authorization in the real header)."""
    lrs = Lrs()
    sid = "0b6a3f1e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
    form = {
        "statementId": sid,
        "content": json.dumps(statement()),
        "X-Experience-API-Version": "1.0.3",
        "Authorization": basic(lrs.key, lrs.secret),
    }
    response = Client().post(
        "/xapi/statements?method=PUT", urllib.parse.urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204, response.content
    assert Statement.objects.filter(pk=sid).exists()


@pytest.mark.parametrize(
    "where",
    [
        lambda s: s["object"]["definition"]["name"].update({"en-US": "a\u0000b"}),
        lambda s: s.update({"result": {"extensions": {"http://example.org/ext": {"\u0000": 1}}}}),
    ],
)
def test_a_nul_character_anywhere_is_refused_with_a_message_not_a_500(where):
    """Found by the property tests on PostgreSQL: no text or JSON column can store U+0000."""
    body = statement()
    where(body)
    response = Lrs().post("statements", body)
    assert response.status_code == 400, response.content
    assert "NUL" in response.json()["error"]["message"]
    assert not Statement.objects.exists()


def test_an_escaped_backslash_before_u0000_is_just_text():
    body = statement()
    body["object"]["definition"]["name"]["en-US"] = "C:\\u0000 folder"  # a backslash, then 'u0000'
    assert Lrs().post("statements", body).status_code == 200


def test_a_nul_character_in_a_parameter_is_refused():
    response = Lrs().get("activities/state", {"activityId": "http://example.org/a\u0000", "stateId": "x"})
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]["message"]


def test_a_lone_surrogate_is_refused_and_a_surrogate_pair_is_text():
    """JSON can escape half of a UTF-16 pair (\\ud800) alone: that is not text any database stores."""
    lone = json.dumps(statement()).replace('"Activity 1"', '"x\\ud800y"')
    response = Lrs().post("statements", lone)
    assert response.status_code == 400
    assert "surrogate" in response.json()["error"]["message"]
    pair = json.dumps(statement()).replace('"Activity 1"', '"smile \\ud83d\\ude00"')
    assert Lrs().post("statements", pair).status_code == 200
    assert Statement.objects.count() == 1
