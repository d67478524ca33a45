from celery import shared_task
from django.core.cache import cache

from . import projections


@shared_task(name="xapi.project_statements", acks_late=True)
def project_statements_task(statement_ids: list[str]) -> int:
    return projections.project_statements(statement_ids)


@shared_task(name="xapi.project_pending", acks_late=True)
def project_pending_task() -> int:
    from .services import PROJECTION_SCHEDULED

    cache.delete(PROJECTION_SCHEDULED)  # statements stored from now on ask for a new run
    return projections.project_pending()
