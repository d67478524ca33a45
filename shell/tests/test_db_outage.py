"""The database out of reach is a 503 with Retry-After and a message (JSON for the API and the LRS),
wherever the failing query runs: in a view, in the session and user middleware read lazily, or in a
middleware on the way out. Other errors stay 500s. (tests/test_fault_postgres_restart.py restarts a
real PostgreSQL under gunicorn.)"""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from shell import middleware
from shell.middleware import DatabaseOutageMiddleware
from shell.people.tests.factories import UserFactory

MESSAGE = "Coba lagi dalam beberapa detik"


def _writes_the_session(request):
    request.session["dilihat"] = True  # saved by SessionMiddleware on the way out
    return HttpResponse("ok")


def _fails(error):
    def view(request):
        raise error

    return view


def _sqlite_fails(message):
    def view(request):
        try:
            raise sqlite3.OperationalError(message)
        except sqlite3.OperationalError as error:
            raise OperationalError(message) from error  # as Django's error wrapper does

    return view


urlpatterns = [
    path("sqlite-terkunci/", _sqlite_fails("database is locked")),
    path("sqlite-tanpa-tabel/", _sqlite_fails("no such table: x")),
    path("sesi/", _writes_the_session),
    path("api/rusak/", _fails(OperationalError("server closed the connection unexpectedly"))),
    path("salah-kueri/", _fails(ProgrammingError('relation "x" does not exist'))),
    path("salah/", _fails(ValueError("a bug"))),
]


@pytest.fixture
def database_down():
    """Every query fails as when PostgreSQL is restarting (what was set up before still stands)."""

    def refuse(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    with mock.patch.object(CursorWrapper, "execute", refuse), mock.patch.object(CursorWrapper, "executemany", refuse):
        yield


def _assert_outage_answer(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def learner_browser(db):
    browser = Client()
    browser.force_login(UserFactory())
    return browser


def test_a_page_is_503_with_a_message_when_the_session_cannot_be_read(learner_browser, database_down):
    response = learner_browser.get("/")
    _assert_outage_answer(response)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == "id"
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert MESSAGE in page
    assert 'href="/"' in page  # try again


def test_the_page_is_in_the_language_the_user_chose(learner_browser, database_down, settings):
    learner_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = learner_browser.get("/")
    _assert_outage_answer(response)
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_a_query_failing_in_the_view_itself_is_503(learner_browser):
    with mock.patch("shell.home.views.tiles_for", side_effect=OperationalError("SSL connection has been closed")):
        response = learner_browser.get("/")
    _assert_outage_answer(response)
    assert MESSAGE in response.content.decode()


def test_the_api_answers_json_in_its_error_shape(learner_browser, database_down):
    response = learner_browser.get("/api/me/", HTTP_ACCEPT="application/json")
    _assert_outage_answer(response)
    assert response["Content-Type"] == "application/json"
    assert MESSAGE in response.json()["detail"]


def test_the_lrs_answers_json_in_its_error_shape(db, database_down):
    response = Client().get(
        "/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3", HTTP_AUTHORIZATION="Basic a2V5OnNlY3JldC0xMjM="
    )
    _assert_outage_answer(response)
    error = response.json()["error"]
    assert error["code"] == 503
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert MESSAGE in error["message"]


def test_a_json_client_gets_json_from_a_page(learner_browser, database_down):
    response = learner_browser.get("/", HTTP_ACCEPT="application/json")
    _assert_outage_answer(response)
    assert MESSAGE in response.json()["detail"]


@pytest.mark.urls(__name__)
def test_a_json_path_of_the_api_is_json_even_for_a_plain_view(db):
    response = Client().get("/api/rusak/")
    _assert_outage_answer(response)
    assert MESSAGE in response.json()["detail"]


@pytest.mark.urls(__name__)
def test_a_query_failing_in_a_middleware_on_the_way_out_is_503_not_500(db, database_down):
    # SessionMiddleware saves the session after the view: Django makes that error a 500 in its own
    # layer, which the outage middleware replaces.
    response = Client(raise_request_exception=False).get("/sesi/")
    _assert_outage_answer(response)
    assert MESSAGE in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_locked_sqlite_file_is_an_outage(db):
    _assert_outage_answer(Client().get("/sqlite-terkunci/"))


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/salah-kueri/", "/salah/", "/sqlite-tanpa-tabel/"])
def test_other_errors_stay_500s(db, url):
    # A wrong query or a bug is not an outage to wait out: it must be seen as an error.
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def _connection(*, usable: bool, in_atomic_block: bool = False, errors_occurred: bool = True):
    return SimpleNamespace(
        connection=object(),
        errors_occurred=errors_occurred,
        in_atomic_block=in_atomic_block,
        is_usable=lambda: usable,
        close=mock.Mock(),
    )


def test_the_broken_connection_is_closed_so_that_the_next_request_connects_again():
    broken = _connection(usable=False)
    working = _connection(usable=True)
    in_transaction = _connection(usable=False, in_atomic_block=True)  # left to the transaction around it
    untouched = _connection(usable=False, errors_occurred=False)
    handler = SimpleNamespace(all=lambda initialized_only: [broken, working, in_transaction, untouched])
    with mock.patch.object(middleware, "connections", handler):
        response = DatabaseOutageMiddleware(lambda r: HttpResponse()).process_exception(
            RequestFactory().get("/"), OperationalError("server closed the connection unexpectedly")
        )
    assert response.status_code == 503
    broken.close.assert_called_once_with()
    for connection in (working, in_transaction, untouched):
        connection.close.assert_not_called()
