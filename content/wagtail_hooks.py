"""The Wagtail admin (/cms/) as the platform's own: a way back to the app, no links out to wagtail.org (its
release notes and the English editor guide) in the help menu, and the search behind the trainer picker."""

from __future__ import annotations

from django.contrib import messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import CoursePage
from .selectors import unpublished_lesson_count
from .views import user_search


@hooks.register("register_admin_menu_item")
def back_to_the_app():
    return MenuItem(_("Kembali ke Tangerang Ayo"), "/", icon_name="home", order=0, name="aplikasi")


@hooks.register("construct_help_menu")
def only_local_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name == "keyboard-shortcuts-trigger"]


@hooks.register("register_admin_urls")
def content_admin_urls():
    return [path("pegawai/cari/", user_search, name="content_user_search")]


def _warn_unpublished_lessons(request, page) -> None:
    """A course approved before its lessons goes live with nothing to learn: tell whoever edits or approves it."""
    if not isinstance(page, CoursePage):
        return
    count = unpublished_lesson_count(course=page)
    if count:
        messages.warning(
            request,
            ngettext(
                "%(n)s pelajaran kursus ini belum terbit: pelajaran ditinjau terpisah, setujui juga. "
                "Sebelum ada pelajaran yang terbit, peserta tidak dapat mendaftar.",
                "%(n)s pelajaran kursus ini belum terbit: pelajaran ditinjau terpisah, setujui juga. "
                "Sebelum ada pelajaran yang terbit, peserta tidak dapat mendaftar.",
                count,
            )
            % {"n": count},
        )


@hooks.register("before_edit_page")
def warn_on_open(request, page):
    if request.method == "GET":
        _warn_unpublished_lessons(request, page)


@hooks.register("after_edit_page")
def warn_after_approval(request, page):
    _warn_unpublished_lessons(request, page)
