import factory
from factory.django import DjangoModelFactory

from shell.modules.layanan.models import ServiceType
from shell.modules.layanan.roles import OFFICER
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory


class ServiceTypeFactory(DjangoModelFactory):
    class Meta:
        model = ServiceType

    code = factory.Sequence(lambda n: f"layanan-{n}")
    name = factory.Sequence(lambda n: f"Layanan {n}")
    sla_days = 3
    unit = factory.SubFactory(UnitFactory)
    requirements = "Fotokopi KK\nKTP-el"


def officer(unit, **kwargs):
    return UserFactory(unit=unit, roles=[roles.LEARNER, OFFICER], **kwargs)


NIK = "3671014501900001"
