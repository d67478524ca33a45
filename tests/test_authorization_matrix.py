"""The authorization matrix: every URL of the platform, requested as every role and anonymously.

No page or API may leak another unit's or another employee's data. The URL patterns are walked from
the root resolver (the shell's, every mounted module's, the APIs', Wagtail's), and each must be in
``tests/authz_matrix.TABLE``, which says how to request it and what each role gets; a new pattern
missing there fails ``test_every_url_pattern_is_in_the_table``. Third-party trees (Django admin,
Wagtail admin, documents, i18n, the API schema and docs) are covered by representative entry points.

Besides the status, every page answered 200 is searched for the marker strings of the owner's data
(their name, NIP, e-mail and uuid, a claim's title, an activity's title, the citizen of their unit's
service request): a role outside that data's readers must never see them. And the important writes
are POSTed as every role: the wrong ones are refused and change nothing.

The city is built once for the module (committed, so that on-commit work such as certificates runs);
``restore_migrated_data`` puts the database back afterwards.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests import authz_matrix as m

pytestmark = pytest.mark.django_db


# The URL patterns ------------------------------------------------------------------------------


def url_patterns() -> list[tuple[str, str]]:
    """(full route, name with namespaces) of every pattern, walking nested resolvers."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                found.append((route, f"{namespace}:{name}" if namespace and name else name))

    walk(get_resolver(), "", "")
    return found


def table_key(route: str, name: str) -> str:
    """The TABLE key covering a pattern: its third-party prefix, else its name (or route if unnamed)."""
    route = route.lstrip("^")
    for prefix in m.THIRD_PARTY:
        if route.startswith(prefix):
            return prefix
    return name or route


def uncovered(patterns: list[tuple[str, str]]) -> list[str]:
    """Patterns that no TABLE entry covers."""
    return sorted({f"{table_key(r, n)}  (route {r!r})" for r, n in patterns if table_key(r, n) not in m.TABLE})


def test_every_url_pattern_is_in_the_table():
    patterns = url_patterns()
    assert len(patterns) > 100, "the walk found the platform's URL patterns"
    missing = uncovered(patterns)
    assert not missing, (
        "URL patterns not in tests/authz_matrix.TABLE; add each with how to request it and what every role "
        "must get:\n  " + "\n  ".join(missing)
    )
    keys = {table_key(r, n) for r, n in patterns}
    stale = sorted(set(m.TABLE) - keys)
    assert not stale, f"TABLE entries for URL patterns that no longer exist: {stale}"
    named = [n for r, n in patterns if n and table_key(r, n) == n]
    twice = sorted({n for n in named if named.count(n) > 1})
    assert not twice, f"URL names used by more than one pattern (the table cannot tell them apart): {twice}"


def test_a_newly_mounted_module_fails_the_matrix_until_its_urls_are_in_the_table():
    from django.conf import settings

    from shell.testing import modules_mounted

    with modules_mounted([*settings.SHELL_MODULES, "tests.dummy_module"]):
        missing = uncovered(url_patterns())
    assert {line.split()[0] for line in missing} == {"uji:index", "api-uji:ping"}, missing
    assert not uncovered(url_patterns())  # unmounted again


def test_every_probe_states_every_role():
    for key, entry in m.TABLE.items():
        assert entry.probes, key
        for probe in entry.probes:
            assert set(probe.expected) == set(m.ROLES), (key, probe.label)


def test_anonymous_visitors_are_sent_to_log_in():
    """Every entry not public by design sends an anonymous visitor to a login page (or answers 401)."""
    wrong = []
    for key, entry in m.TABLE.items():
        for probe in entry.probes:
            anonymous = probe.expected[m.ANON]
            if key not in m.PUBLIC_BY_DESIGN and not (isinstance(anonymous, m.Login) or anonymous == 401):
                wrong.append(f"{key} ({probe.label or 'GET'}): anonymous gets {anonymous}")
    assert not wrong, "not public by design (authz_matrix.PUBLIC_BY_DESIGN), yet:\n  " + "\n  ".join(wrong)
    assert set(m.PUBLIC_BY_DESIGN) <= set(m.TABLE)


# The city and one signed-in client per role ----------------------------------------------------


@pytest.fixture(scope="module")
def scenario(restore_migrated_data, django_db_blocker, tmp_path_factory):
    media = str(tmp_path_factory.mktemp("authz-media"))
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        built = m.build_scenario()
    built.media = media
    return built


@pytest.fixture(scope="module")
def clients(scenario, django_db_blocker):
    out = {m.ANON: Client()}
    with django_db_blocker.unblock():
        for role in m.SIGNED_IN:
            client = Client()
            client.force_login(scenario.user(role))
            out[role] = client
    return out


@pytest.fixture
def city(scenario, settings, _media_root):
    """The scenario, with MEDIA_ROOT where its files are (the root conftest gives each test its own)."""
    settings.MEDIA_ROOT = scenario.media
    return scenario


# Requests and what is checked --------------------------------------------------------------------


def probe_path(key: str, probe: m.Probe, s) -> str:
    if probe.url is not None:
        return probe.url(s)
    kwargs = probe.kwargs(s) if callable(probe.kwargs) else (probe.kwargs or {})
    query = probe.query(s) if callable(probe.query) else probe.query
    path = reverse(key, kwargs=kwargs)
    return f"{path}?{query}" if query else path


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    # Close the file a FileResponse holds, as the test client does: without request_finished closing
    # the database connection (in a test's transaction, PostgreSQL's would be closed for good).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return content.decode("utf-8", errors="replace")


def mismatch(expected: m.Expectation, response, path: str) -> str | None:
    """What is wrong with ``response``, or None."""
    status = response.status_code
    location = response.get("Location", "")
    if isinstance(expected, int):
        return None if status == expected else f"expected {expected}, got {status} {location}".rstrip()
    if isinstance(expected, m.AnyOf):
        return None if status in expected.statuses else f"expected {expected}, got {status}"
    if status != 302:
        return f"expected {expected}, got {status}"
    if isinstance(expected, m.Redirect):
        return None if location.startswith(expected.prefix) else f"expected {expected}, redirected to {location}"
    target = urlparse(location)
    next_ = parse_qs(target.query).get("next", [None])[0]
    if target.path != expected.login_url or next_ != path:
        return f"expected {expected} with next={path}, redirected to {location}"
    return None


def leaks(role: str, body: str, s, probe) -> list[str]:
    """The owner's data on a page answered to a role outside its readers."""
    allowed = set(probe.allowed(s) if callable(probe.allowed) else probe.allowed)
    found = []
    for family, strings in m.markers(s).items():
        readers = probe.readers.get(family, m.READERS[family])
        if role in readers:
            continue
        found += [f"{family} data {text!r}" for text in strings if text not in allowed and text in body]
    return found


def ask(client: Client, method: str, path: str, **extra):
    try:
        return getattr(client, method)(path, **extra), None
    except Exception as error:  # noqa: BLE001 - a view that raises is a 500, reported with the rest
        return None, f"raised {type(error).__name__}: {error} (a 500)"


def check_response(role, expected, response, error, path, s, probe) -> list[str]:
    if error:
        return [f"{role}: {error}"]
    problems = []
    wrong = mismatch(expected, response, path)
    if wrong:
        problems.append(f"{role}: {wrong}")
    if response.status_code == 200:
        body = body_of(response)
        problems += [f"{role}: 200 shows the owner's {leak}" for leak in leaks(role, body, s, probe)]
        for roles, text in probe.shows:
            if role in roles and text not in body:
                problems.append(f"{role}: 200 but without {text!r} (the page is not what the table thinks)")
    return problems


# Every URL, every role -------------------------------------------------------------------------

PROBES = [(key, index) for key, entry in m.TABLE.items() for index in range(len(entry.probes))]


def _probe_id(key: str, index: int) -> str:
    probe = m.TABLE[key].probes[index]
    return f"{key}:{probe.label or index}" if len(m.TABLE[key].probes) > 1 else key


@pytest.mark.parametrize(("key", "index"), PROBES, ids=[_probe_id(k, i) for k, i in PROBES])
def test_url_answers_every_role_as_expected(city, clients, key, index):
    probe = m.TABLE[key].probes[index]
    path = probe_path(key, probe, city)
    if probe.url is None and ":" in key or key in {"home", "login", "logout", "inbox"}:
        assert resolve(path.split("?")[0]).view_name == key, f"{path} is not {key}"
    problems = []
    for role in m.ROLES:
        response, error = ask(clients[role], "get", path, **probe.headers)
        problems += check_response(role, probe.expected[role], response, error, path, city, probe)
    assert not problems, f"GET {path}\n  " + "\n  ".join(problems)


# The important writes, as every role -----------------------------------------------------------


@pytest.fixture
def fresh_clients(city):
    """Clients of this test only: messages left in a cookie by a POST stay out of other tests."""
    out = {m.ANON: Client()}
    for role in m.SIGNED_IN:
        out[role] = Client()
        out[role].force_login(city.user(role))
    return out


def write_request(client: Client, write: m.Write, s):
    import json

    query = write.query(s) if callable(write.query) else write.query
    path = reverse(write.name, kwargs=write.kwargs(s))
    path = f"{path}?{query}" if query else path
    data = write.data(s) if callable(write.data) else write.data
    if write.json:
        response, error = ask(
            client, write.method, path, data=json.dumps(data), content_type="application/json", **write.headers
        )
    else:
        response, error = ask(client, write.method, path, data=data, **write.headers)
    return path, response, error


@pytest.mark.parametrize("index", range(len(m.WRITES)), ids=[w.label for w in m.WRITES])
def test_writes_by_the_wrong_roles_are_refused_and_change_nothing(city, fresh_clients, index):
    from django.db import transaction

    write = m.WRITES[index]
    problems = []
    for role in m.ROLES:
        with transaction.atomic():
            before = write.state(city)
            path, response, error = write_request(fresh_clients[role], write, city)
            after = write.state(city) if error is None else before
            transaction.set_rollback(True)
        probe = m.Probe(expected=write.expected)
        problems += check_response(role, write.expected[role], response, error, path, city, probe)
        if role in write.changes and before == after:
            problems.append(f"{role}: allowed, but nothing changed ({before!r})")
        if role not in write.changes | write.may_change and before != after:
            problems.append(f"{role}: not allowed, yet it changed {before!r} -> {after!r}")
    assert not problems, f"{write.method.upper()} {write.name} ({write.label})\n  " + "\n  ".join(problems)
