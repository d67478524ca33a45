"""The Wagtail admin (/cms/) as the platform's own: a way back to the app, no links out to wagtail.org (its
release notes and the English editor guide) in the help menu, and the search behind the trainer picker."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

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
