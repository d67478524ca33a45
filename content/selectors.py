from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import CatalogPage, CoursePage


def course_search(*, catalog: CatalogPage, filters: dict[str, Any]):
    """Published courses of the catalogue, filtered; a search query ranks by relevance."""
    qs: QuerySet[CoursePage] = CoursePage.objects.live().descendant_of(catalog).select_related("cover_image")
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("mode"):
        qs = qs.filter(delivery_mode=filters["mode"])
    if filters.get("jp_min") is not None:
        qs = qs.filter(jp__gte=filters["jp_min"])
    if filters.get("jp_max") is not None:
        qs = qs.filter(jp__lte=filters["jp_max"])
    if filters.get("q"):
        return list(qs.search(filters["q"]))
    return qs.order_by("title")
