"""A learner's calendar feed as iCalendar (RFC 5545, built with the ``icalendar`` library): the due dates
of their unfinished enrolments as all-day events, and the days of the classroom sessions they hold a seat
in, in Asia/Jakarta time (with its VTIMEZONE). Each event keeps its UID across fetches, so a calendar
that subscribed updates it instead of adding a copy; a cancelled class stays, marked CANCELLED."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from shell.site import site_url

from ..classroom.models import ClassSession
from ..hours.selectors import JAKARTA
from .selectors import calendar_class_days, calendar_due_dates

# Classes that ended long ago are of no use in a calendar, and would make the feed grow for ever.
CLASS_DAYS_BACK = 180


def _absolute(path: str) -> str:
    return site_url(path) if path.startswith("/") else path


def calendar_ics(*, user, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    # The UIDs' domain is the xAPI IRIs' (pinned once statements exist), not the serving address: a new HOST or
    # SITE_URL must not duplicate every event in the calendars that subscribed.
    host = urlparse(settings.XAPI_IRI_BASE).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", "-//Tangerang Ayo//Universitas Pemerintahan//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Belajar: %(name)s") % {"name": user.display_name})
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for item in calendar_due_dates(user=user):
        course = item.enrollment.course
        event = Event()
        event.add("uid", f"enrollment-{item.enrollment.pk}-due@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", _("Tenggat kursus: %(course)s") % {"course": course.title})
        event.add("description", _("Selesaikan kursus ini paling lambat hari ini."))
        event.add("url", _absolute(course.url or "/belajar/"))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    since = timezone.localdate(now) - dt.timedelta(days=CLASS_DAYS_BACK)
    for day in calendar_class_days(user=user, since=since):
        session = day.session
        event = Event()
        event.add("uid", f"class-{session.pk}-{day.date:%Y%m%d}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", dt.datetime.combine(day.date, day.starts_at, tzinfo=JAKARTA))
        event.add("dtend", dt.datetime.combine(day.date, day.ends_at, tzinfo=JAKARTA))
        event.add("summary", _("Kelas: %(title)s") % {"title": session.display_title})
        event.add("location", f"{session.room.name}, {session.room.building}")
        event.add("url", _absolute(reverse("classroom:detail", args=[session.pk])))
        cancelled = session.status == ClassSession.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
