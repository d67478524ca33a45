"""Setting up the catalogue and its moderation workflow (idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from shell.people import roles

from .models import CatalogPage

CATALOG_SLUG = "kursus"


@transaction.atomic
def catalog_setup(*, title: str = "Katalog Kursus") -> CatalogPage:
    """The catalogue page, made the default site's root so it is served at /kursus/."""
    catalog = CatalogPage.objects.first()
    if catalog is None:
        # Wagtail's migrations create the locale and the tree's root; a flushed database has neither.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        catalog = root.add_child(instance=CatalogPage(title=title, slug=CATALOG_SLUG))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=catalog, is_default_site=True, site_name="Universitas Pemerintahan"
        )
    elif site.root_page_id != catalog.pk:
        old_root = site.root_page
        site.root_page = catalog
        site.save()
        # Wagtail's placeholder "Welcome" page is of no use once the catalogue is the root.
        if old_root.content_type.model == "page" and old_root.depth == 2 and not old_root.get_children().exists():
            old_root.delete()
    return catalog


@transaction.atomic
def course_moderation_setup(*, catalog: CatalogPage) -> Workflow:
    """Trainers draft courses and submit them; curriculum reviewers approve and publish."""

    def perm(codename: str) -> Permission:
        return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)

    trainers = Group.objects.get(name=roles.TRAINER)
    reviewers = Group.objects.get(name=roles.REVIEWER)
    admins = Group.objects.get(name=roles.ADMIN)
    grants = {
        trainers: ["add_page"],  # create and edit their own pages; publishing needs a reviewer
        reviewers: ["add_page", "change_page", "publish_page"],
        admins: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
    }
    for group, codenames in grants.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=catalog, permission=perm(codename))

    task = GroupApprovalTask.objects.filter(name="Tinjauan kurikulum").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Tinjauan kurikulum")
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name="Moderasi kursus")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    video_library_setup()
    return workflow


def collection_root() -> Collection:
    """The root of Wagtail's collections (media, documents, images live in one); a flushed database has none."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def video_library_setup() -> None:
    """Trainers upload lesson videos to the CMS's media library (and choose and edit their own); admins manage
    all of them. Wagtail grants collection members' permissions per collection, here the root."""
    root = collection_root()

    def perm(codename: str) -> Permission:
        return Permission.objects.get(content_type__app_label="wagtailmedia", codename=codename)

    grants = {
        roles.TRAINER: ["add_media"],
        roles.ADMIN: ["add_media", "change_media", "delete_media"],
    }
    for role, codenames in grants.items():
        group = Group.objects.get(name=role)
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=perm(codename))
