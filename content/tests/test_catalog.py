"""The course catalogue at /kursus/: filters, search, and bad filters shown as errors, never a 500."""

import pytest

from content.tests.factories import make_course
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(django_capture_on_commit_callbacks):
    # Wagtail indexes pages for search in an on-commit task.
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "etika": make_course(title="Etika Pelayanan Publik", jp="2", category="teknis", delivery_mode="online"),
            "pimpin": make_course(
                title="Kepemimpinan Digital", jp="6", category="manajerial", delivery_mode="classroom"
            ),
            "budaya": make_course(
                title="Budaya Kerja Sosial", jp="10", category="sosial_kultural", delivery_mode="blended"
            ),
            "draft": make_course(
                title="Draf Kepemimpinan Rahasia",
                jp="6",
                category="manajerial",
                delivery_mode="classroom",
                publish=False,
            ),
        }


ALL = ["Budaya Kerja Sosial", "Etika Pelayanan Publik", "Kepemimpinan Digital"]  # by title


def listed(client, query=""):
    response = client.get(f"/kursus/{query}")
    assert response.status_code == 200
    return response, [course.title for course in response.context["page_obj"]]


def test_catalogue_lists_published_courses_by_title(client, courses):
    response, titles = listed(client)
    assert titles == ALL
    html = response.content.decode()
    assert "Draf Kepemimpinan Rahasia" not in html
    assert courses["pimpin"].url in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kategori=manajerial", ["Kepemimpinan Digital"]),
        ("?kategori=teknis", ["Etika Pelayanan Publik"]),
        ("?kategori=pemerintahan", []),
        ("?mode=classroom", ["Kepemimpinan Digital"]),
        ("?mode=blended", ["Budaya Kerja Sosial"]),
        ("?jp_min=5", ["Budaya Kerja Sosial", "Kepemimpinan Digital"]),
        ("?jp_max=6", ["Etika Pelayanan Publik", "Kepemimpinan Digital"]),
        ("?jp_min=6&jp_max=6", ["Kepemimpinan Digital"]),
        ("?jp_min=2.5&jp_max=9.5", ["Kepemimpinan Digital"]),
        ("?kategori=manajerial&mode=online", []),
        ("?kategori=&mode=&jp_min=&jp_max=&q=", ALL),
    ],
)
def test_filters(client, courses, query, expected):
    _, titles = listed(client, query)
    assert titles == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=Kepemimpinan", ["Kepemimpinan Digital"]),
        ("?q=etika", ["Etika Pelayanan Publik"]),
        ("?q=Kepemimpinan&kategori=teknis", []),
        ("?q=zzzzzz", []),
    ],
)
def test_search_finds_courses_by_title(client, courses, query, expected):
    response, titles = listed(client, query)
    assert titles == expected
    if not expected:
        assert "Tidak ada kursus yang cocok dengan pencarian ini." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message", "expected"),
    [
        ("?jp_min=abc", "jp_min", "Masukkan sebuah bilangan.", ALL),
        ("?jp_min=abc&kategori=manajerial", "jp_min", "Masukkan sebuah bilangan.", ["Kepemimpinan Digital"]),
        ("?jp_max=-1", "jp_max", "lebih besar dari atau sama dengan 0", ALL),
        ("?kategori=zzz", "kategori", "zzz", ALL),
        ("?mode=zzz&jp_min=5", "mode", "zzz", ["Budaya Kerja Sosial", "Kepemimpinan Digital"]),
        ("?jp_min=1e999", "jp_min", "", ALL),
    ],
)
def test_invalid_filter_is_shown_as_an_error_and_ignored(client, courses, query, field, message, expected):
    response, titles = listed(client, query)
    errors = response.context["filter_form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert str(errors[field][0]) in response.content.decode().replace("&#x27;", "'")
    assert titles == expected


def test_jp_min_above_jp_max_is_an_error_not_a_500(client, courses):
    response, _ = listed(client, "?jp_min=8&jp_max=2")
    assert "JP minimal tidak boleh lebih besar dari JP maksimal." in response.content.decode()


def test_jp_min_above_jp_max_is_ignored_like_any_invalid_filter(client, courses):
    _, titles = listed(client, "?jp_min=8&jp_max=2&kategori=manajerial")
    assert titles == ["Kepemimpinan Digital"]


def test_paging_with_a_bad_page_number_is_not_a_500(client, courses):
    for page in ("abc", "999", "-1"):
        _, titles = listed(client, f"?halaman={page}")
        assert titles == ALL


def test_unpublished_course_page_is_not_served(client, courses):
    assert client.get(f"/kursus/{courses['draft'].slug}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/kursus/{courses['draft'].slug}/").status_code == 404


def test_course_page_offers_enrolment_to_a_learner(client, courses):
    client.force_login(UserFactory())
    html = client.get(courses["pimpin"].url).content.decode()
    assert 'data-testid="enroll"' in html
    assert f'action="/belajar/kursus/{courses["pimpin"].pk}/daftar/"' in html
    assert "Masuk untuk mendaftar" not in html


def test_course_page_asks_anonymous_visitors_to_log_in(client, courses):
    url = courses["pimpin"].url
    html = client.get(url).content.decode()
    assert "Masuk untuk mendaftar" in html
    assert f'href="/masuk/?next={url}"' in html
    assert 'data-testid="enroll"' not in html


@pytest.mark.parametrize("q", ['"', 'a"b', "'\"<script>", "NEAR(", "*"])
def test_search_syntax_in_a_query_is_no_outage(client, courses, q):
    """Review 16, F9: SQLite's FTS5 refused an unbalanced quote and the page answered 503 "database
    unavailable"; a visitor's words are never query syntax."""
    response = client.get("/kursus/", {"q": q})
    assert response.status_code == 200
    assert client.get("/kursus/", {"q": 'Kepemimpinan"'}).status_code == 200
