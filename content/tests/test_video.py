"""Video blocks: embeds only from the hosts the admin allows, with a clear refusal in the editor; uploaded
files whose duration the server reads from the file itself (never from the learner's player)."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.blocks import StructBlockValidationError
from wagtailmedia import get_media_model

from content.blocks import VideoBlock
from content.services import catalog_setup, course_moderation_setup
from content.tests.factories import DEMO_VIDEO, make_video_media
from content.video import clock_seconds, embed_for, file_duration
from shell.people import roles
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4(*, version: int, timescale: int, duration: int) -> bytes:
    if version == 0:
        mvhd = bytes([0, 0, 0, 0]) + struct.pack(">IIII", 0, 0, timescale, duration) + bytes(80)
    else:
        mvhd = bytes([1, 0, 0, 0]) + struct.pack(">QQIQ", 0, 0, timescale, duration) + bytes(80)
    # The movie header after the media data, as most cameras write it.
    return box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + box(b"mdat", bytes(5000)) + box(b"moov", box(b"mvhd", mvhd))


def test_the_duration_is_read_from_the_file():
    with DEMO_VIDEO.open("rb") as handle:
        assert file_duration(handle) == pytest.approx(12.0)
        assert handle.tell() == 0  # left at its start, ready to be stored
    assert file_duration(io.BytesIO(mp4(version=0, timescale=1000, duration=7500))) == 7.5
    assert file_duration(io.BytesIO(mp4(version=1, timescale=90000, duration=90000 * 65))) == 65
    assert file_duration(io.BytesIO(b"%PDF-1.4 not a video")) is None
    assert file_duration(io.BytesIO(DEMO_VIDEO.read_bytes()[:20])) is None  # cut off before its header


def test_clock_durations():
    assert [clock_seconds(t) for t in ("5:30", "1:02:03", "90", "0:59")] == [330, 3723, 90, 59]
    assert [clock_seconds(t) for t in ("5:75", "1:75:00", "x", "", "-3")] == [None] * 5


def test_embeds_come_only_from_allowed_hosts(settings):
    assert embed_for("https://youtu.be/abcdefghijk").src.startswith(
        "https://www.youtube-nocookie.com/embed/abcdefghijk?"
    )
    assert embed_for("https://vimeo.com/76979871").src.startswith("https://player.vimeo.com/video/76979871?")
    assert embed_for("https://example.com/video.mp4") is None
    settings.VIDEO_EMBED_HOSTS = ["player.vimeo.com", "video.tangerangkota.go.id"]
    assert embed_for("https://www.youtube.com/watch?v=abcdefghijk") is None
    other = embed_for("https://video.tangerangkota.go.id/embed/42")
    assert other.provider == "other" and not other.trackable
    assert embed_for("http://video.tangerangkota.go.id/embed/42") is None  # never a plain-HTTP frame


def clean(**value):
    block = VideoBlock()
    defaults = {"media": None, "url": "", "duration": "", "caption": "", "required": False}
    return block.clean(block.to_python({**defaults, **value}))


def errors_of(**value) -> dict:
    with pytest.raises(StructBlockValidationError) as caught:
        clean(**value)
    return {name: " ".join(e.messages) for name, e in caught.value.block_errors.items()}


@pytest.mark.django_db
def test_the_editor_refuses_what_cannot_play_or_be_tracked(settings):
    message = errors_of(url="https://example.com/video.mp4")["url"]
    assert "example.com" in message and "YouTube, Vimeo" in message and "www.youtube-nocookie.com" in message
    settings.VIDEO_EMBED_HOSTS = ["player.vimeo.com"]
    assert "Video YouTube tidak diizinkan admin" in errors_of(url="https://youtu.be/abcdefghijk")["url"]
    settings.VIDEO_EMBED_HOSTS = ["www.youtube-nocookie.com", "video.tangerangkota.go.id"]
    assert "salah satu" in errors_of()["url"]
    # A YouTube video that must be watched needs its duration, so the platform knows what 90% is.
    assert "Isi durasi video" in errors_of(url="https://youtu.be/abcdefghijk", required=True)["duration"]
    assert "menit:detik" in errors_of(url="https://youtu.be/abcdefghijk", duration="5 menit")["duration"]
    value = clean(url="https://youtu.be/abcdefghijk", required=True, duration="5:30")
    assert value.gates and value.seconds == 330
    # Another allowed host plays, but nobody can tell how much was watched: it cannot be required.
    assert "tidak dapat dilacak" in errors_of(url="https://video.tangerangkota.go.id/e/1", required=True)["required"]
    assert not clean(url="https://video.tangerangkota.go.id/e/1").gates
    # An uploaded file: its duration came from the file.
    media = make_video_media()
    value = clean(media=media.pk, required=True)
    assert value.gates and value.seconds == pytest.approx(12.0)
    assert "salah satu" in errors_of(media=media.pk, url="https://youtu.be/abcdefghijk")["url"]


@pytest.mark.django_db
def test_a_trainer_uploads_a_video_and_its_duration_is_read_from_the_file(client):
    roles_setup()
    course_moderation_setup(catalog=catalog_setup())
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    client.force_login(trainer)
    upload = SimpleUploadedFile("materi.webm", DEMO_VIDEO.read_bytes(), content_type="video/webm")
    response = client.post(
        "/cms/media/video/add/", {"title": "Materi", "file": upload, "duration": "", "collection": "1", "tags": ""}
    )
    assert response.status_code == 302, (response.status_code, response.content[:3000])
    media = get_media_model().objects.get(title="Materi")
    assert media.type == "video" and media.duration == pytest.approx(12.0) and media.uploaded_by_user == trainer
    assert media.file.read() == DEMO_VIDEO.read_bytes()
    # A file whose duration cannot be read is refused: a typed duration is not believed (review 16, F15).
    upload = SimpleUploadedFile("rusak.mp4", b"\x00\x00\x00\x08free", content_type="video/mp4")
    response = client.post(
        "/cms/media/video/add/", {"title": "Rusak", "file": upload, "duration": "1", "collection": "1", "tags": ""}
    )
    assert response.status_code == 200 and "tidak dapat dibaca" in str(response.context["form"].errors["file"])
    assert not get_media_model().objects.filter(title="Rusak").exists()


@pytest.mark.django_db
def test_a_trainer_cannot_retime_or_replace_a_video_a_lesson_places(client):
    """Review 16, F15: the duration is the file's, whatever is typed; a video a lesson places keeps its file."""
    from content.tests.factories import make_course

    roles_setup()
    course_moderation_setup(catalog=catalog_setup())
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    client.force_login(trainer)
    upload = SimpleUploadedFile("materi.webm", DEMO_VIDEO.read_bytes(), content_type="video/webm")
    form = {"title": "Materi", "duration": "", "collection": "1", "tags": ""}
    assert client.post("/cms/media/video/add/", {**form, "file": upload}).status_code == 302
    media = get_media_model().objects.get(title="Materi")
    # Re-timed by hand: the typed value is ignored.
    response = client.post(f"/cms/media/edit/{media.pk}/", {**form, "title": "Materi 2", "duration": "1"})
    assert response.status_code == 302, response.content[:2000]
    media.refresh_from_db()
    assert media.title == "Materi 2" and media.duration == pytest.approx(12.0)
    # Placed in a lesson: its file is not replaced.
    course = make_course(lessons=("watch",))
    (lesson,) = course.lessons()
    lesson.body = [("video", {"media": media, "caption": "Video", "required": True})]
    lesson.save_revision().publish()
    other = SimpleUploadedFile("lain.webm", DEMO_VIDEO.read_bytes()[:-10], content_type="video/webm")
    response = client.post(f"/cms/media/edit/{media.pk}/", {**form, "title": "Materi 2", "file": other})
    assert response.status_code == 200 and "tidak diganti di tempat" in str(response.context["form"].errors["file"])
    media.refresh_from_db()
    assert media.file.read() == DEMO_VIDEO.read_bytes()
