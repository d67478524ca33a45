import datetime as dt
import pytest
from content.tests.factories import RIGHT_ANSWERS, make_course
from lms import services
from lms.models import Enrollment
from lms.xapi.models import Statement
from lms.xapi.constants import *
from lms.xapi.transformers import learning_event_record
from shell.people.tests.factories import UserFactory

@pytest.mark.django_db
def test_dbg(django_capture_on_commit_callbacks):
    learner = UserFactory()
    course = make_course(lessons=("quiz", "text"), optional=(1,))
    with django_capture_on_commit_callbacks(execute=False):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        t = dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)
        r1 = learning_event_record("lms.course.completed", user=learner, enrollment=enrollment, timestamp=t)
        r2 = learning_event_record("lms.course.completed", user=learner, enrollment=enrollment, timestamp=t + dt.timedelta(hours=1))
    print(r1, r2)
    print(r1.statement.data["timestamp"], r2.statement.data["timestamp"])
