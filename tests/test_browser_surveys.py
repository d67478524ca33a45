"""A learner on a phone completes a course whose survey is required, finds the certificate waiting, answers
the survey (anonymously) and gets the certificate."""

import pytest

from content.tests.factories import make_course
from lms.certificates.models import Certificate
from lms.surveys import services
from lms.surveys.models import Response
from lms.surveys.tests.factories import make_template
from shell.people import roles
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_learner_answers_the_survey_on_a_phone_and_then_gets_the_certificate(live_server):
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER], full_name="Dr. Bambang Widyaiswara")
    course = make_course(title="Etika ASN", jp="4", lessons=("text",))
    course.trainers.add(trainer)
    course.save()
    services.survey_link_save(
        by=trainer, template=make_template(by=trainer), course=course, required_for_certificate=True, follow_up=True
    )
    base = live_server.url

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        page.goto(f"{base}{course.url}")
        page.get_by_test_id("enroll").click()
        page.get_by_test_id("continue").click()
        page.get_by_test_id("lesson-done").click()
        page.get_by_test_id("course-completed").wait_for()
        assert not Certificate.objects.filter(user=learner).exists()  # waits for the survey

        page.goto(f"{base}/belajar/survei/")
        page.get_by_test_id("answer-survey").click()
        form = page.get_by_test_id("survey-form")
        assert "Pelatih: Dr. Bambang Widyaiswara" in form.inner_text()
        # Sending it half answered: the form says what is missing and keeps what was chosen.
        page.locator("input[type=radio][value='5']").first.check()
        page.get_by_test_id("submit-survey").click()
        assert "Pilih nilai 1-5." in page.get_by_test_id("survey-form").inner_text()
        assert page.locator("input[type=radio][value='5']").first.is_checked()
        for radio in page.locator("input[type=radio][value='4']").all():
            radio.check()
        page.locator("textarea").first.fill("<script>alert(1)</script> Tambah studi kasus")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=True)
        page.get_by_test_id("submit-survey").click()
        assert "tersimpan tanpa nama" in page.locator(".messages").inner_text()
        assert "Tidak ada survei yang menunggu." in page.get_by_test_id("pending-surveys").inner_text()

        page.goto(f"{base}/sertifikat/")
        assert "Etika ASN" in page.locator("main").inner_text()
    certificate = Certificate.objects.get(user=learner)
    assert certificate.title == "Etika ASN"
    assert Response.objects.count() == 1
