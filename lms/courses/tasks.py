from celery import shared_task

from shell.tasks import broker_send

from .services import enrollment_batch_run, enrollment_batches_pending


@shared_task(name="courses.enrollment_batch_run", acks_late=True)
def enrollment_batch_run_task(batch_id: int) -> int:
    """One chunk of a bulk enrolment, then the next in a new task (each stays within the time limit).
    Safe to run twice: whoever is enrolled already is skipped, notices are deduplicated."""
    remaining = enrollment_batch_run(batch_id=batch_id)
    eager = enrollment_batch_run_task.app.conf.task_always_eager
    while remaining and eager:  # in-process (development, tests): a loop, not a recursion per chunk
        remaining = enrollment_batch_run(batch_id=batch_id)
    if remaining:
        # If the broker is down the batch waits in the database; the beat resumes it.
        broker_send(lambda: enrollment_batch_run_task.delay(batch_id), what=f"enrollment batch {batch_id}", eager=eager)
    return remaining


@shared_task(name="courses.enrollment_batches_resume", acks_late=True)
def enrollment_batches_resume_task() -> int:
    """The beat's catch-up: batches whose chain of tasks was lost go on from where they stopped."""
    pending = enrollment_batches_pending()
    for batch_id in pending:
        enrollment_batch_run_task.delay(batch_id)
    return len(pending)


def enrollment_batch_on_event(event_id: str, payload: dict) -> None:
    """Handler of ``lms.enrollment.batch_confirmed`` (already in a Celery task): the first chunk here."""
    enrollment_batch_run_task(payload["batch_id"])
