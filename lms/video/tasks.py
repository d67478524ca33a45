from celery import shared_task

from .services import video_watches_purge


@shared_task(name="video.purge_watches", acks_late=True)
def purge_watches_task() -> int:
    """Running twice deletes nothing more (only unfinished sessions past VIDEO_WATCH_MAX_AGE go)."""
    return video_watches_purge()
