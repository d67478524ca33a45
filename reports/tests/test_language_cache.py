"""The dashboard is cached with its labels and charts: each language has its own entry, so an Indonesian
reader never gets the English page someone filled the cache with (and the other way round). The trend
chart's months are the active language's."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reports.charts import trend_svg
from reports.tests.factories import make_city
from reports.tests.test_charts import _trend
from shell import formatting
from shell.people.tests.factories import hr_user

pytestmark = pytest.mark.django_db


def page(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("reports:dashboard"), {"tahun": 2026}).content.decode()


def test_each_language_reads_its_own_cached_dashboard(client):
    city = make_city()
    client.force_login(hr_user(unit=city.a, username="hr_a"))
    english = page(client, "en")
    indonesian = page(client, "id")  # filled second: would be the English copy with a shared key
    assert "Behind" in english and "Tertinggal" not in english
    assert "Tertinggal" in indonesian and "Behind" not in indonesian
    assert "Kumulatif" in indonesian or "kumulatif" in indonesian
    assert "Tertinggal" in page(client, "id") and "Behind" in page(client, "en")  # both cached now


def test_the_trend_chart_names_months_in_the_active_language():
    trend = _trend([1.0] * 12, 24)
    with translation.override("id"):
        assert formatting.short_month(12) == "Des" and formatting.short_month(5) == "Mei"
        assert ">Des<" in trend_svg(trend)
    with translation.override("en"):
        assert formatting.short_month(12) == "Dec"
        svg = trend_svg(trend)
        assert ">Dec<" in svg and ">Des<" not in svg and ">Agu<" not in svg
