"""The graph of prerequisites between courses, as the editor must see it to refuse a cycle: the published
links (the database) and those waiting in an unpublished draft or in review (the latest revision), since a
draft is published later by a reviewer's approval, without this form."""

from __future__ import annotations

from collections import deque


def prerequisite_graph(*, model) -> dict[int, set[int]]:
    """course id -> the ids of its prerequisites, published or drafted (``model`` is CoursePage)."""
    graph: dict[int, set[int]] = {}
    through = model.prerequisites.through
    for source, target in through.objects.values_list("from_coursepage_id", "to_coursepage_id"):
        graph.setdefault(source, set()).add(target)
    drafts = model.objects.filter(has_unpublished_changes=True, latest_revision__isnull=False).values_list(
        "pk", "latest_revision__content"
    )
    for pk, content in drafts:
        for target in (content or {}).get("prerequisites") or ():
            if isinstance(target, int):
                graph.setdefault(pk, set()).add(target)
    return graph


def prerequisite_cycle(*, model, course_id: int | None, prerequisite_ids: list[int]) -> list[str]:
    """The titles along a path from one of ``prerequisite_ids`` back to ``course_id`` (a cycle once
    ``course_id`` requires them), or [] when there is none. A new course (no id) cannot be in a cycle."""
    if course_id is None or not prerequisite_ids:
        return []
    graph = prerequisite_graph(model=model)
    parent: dict[int, int | None] = {pk: None for pk in prerequisite_ids}
    queue = deque(prerequisite_ids)
    while queue:
        current = queue.popleft()
        if current == course_id:
            path = []
            node: int | None = current
            while node is not None:
                path.append(node)
                node = parent[node]
            path.reverse()  # from the chosen prerequisite to this course
            titles = dict(model.objects.filter(pk__in=path).values_list("pk", "title"))
            return [titles.get(pk, str(pk)) for pk in path]
        for nxt in graph.get(current, ()):
            if nxt not in parent:
                parent[nxt] = current
                queue.append(nxt)
    return []
