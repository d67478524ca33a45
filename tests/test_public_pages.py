"""What a visitor who is not logged in can open: the landing page leads to the public catalogue, which
lists the published courses and names no employee (no trainer, no learner, no progress)."""

import pytest

from content.tests.factories import make_course
from lms.models import Enrollment
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_public_catalogue_lists_published_courses_and_names_nobody(client):
    published = make_course(title="Pelayanan Publik Prima")
    draft = make_course(title="Kursus Masih Draf", publish=False)
    trainer = UserFactory(full_name="Budi Pelatih Rahasia")
    published.trainers.add(trainer)
    published.save_revision().publish()
    Enrollment.objects.create(user=UserFactory(full_name="Siti Peserta Rahasia"), course=published)

    landing = client.get("/").content.decode()
    assert 'href="/kursus/"' in landing
    catalogue = client.get("/kursus/")
    assert catalogue.status_code == 200
    page = catalogue.content.decode()
    assert published.title in page and draft.title not in page
    assert 'data-testid="topbar-login"' in page  # a way in from every public page
    course = client.get(published.url).content.decode()
    assert "Masuk untuk mendaftar" in course and "Pelajaran 1" in course
    for text in (page, course):
        assert "Budi Pelatih Rahasia" not in text and "Siti Peserta Rahasia" not in text
    # Logged in, the course page names its trainer.
    client.force_login(UserFactory())
    assert "Budi Pelatih Rahasia" in client.get(published.url).content.decode()
