"""The admin's search behind the course's trainer picker (content/widgets.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from wagtail.permission_policies.pages import PagePermissionPolicy

from shell.people import roles
from shell.people.selectors import user_choice_label, users_matching


def user_search(request: HttpRequest) -> JsonResponse:
    """Up to 20 active employees matching ``q`` (name, username), trainers first: for whoever may write or
    review courses (the checkboxes it replaces showed them every name)."""
    if not PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change", "publish"]):
        raise PermissionDenied
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL text takes no NUL
    users = users_matching(query=query, limit=20, first_in_group=roles.TRAINER) if len(query) >= 2 else []
    return JsonResponse({"results": [{"id": user.pk, "label": user_choice_label(user)} for user in users]})
