import factory
from factory.django import DjangoModelFactory

from shell.people import roles
from shell.people.models import HrScope, Unit, User

_nip_seq = iter(range(1, 10**6))


def make_nip() -> str:
    n = next(_nip_seq)
    return f"19850312201001{1 + n % 2}{n % 1000 or 1:03d}"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Unit {n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        return parent.add_child(**kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pegawai {n}")
    nip = factory.LazyFunction(make_nip)
    employment_type = User.EmploymentType.PNS
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from shell.people.services import roles_setup, user_add_roles

        roles_setup()
        user_add_roles(user=self, role_names=list(extracted or [roles.LEARNER]))
        self.save()


def hr_user(unit=None, **kwargs) -> User:
    from shell.people.services import hr_scope_grant

    user = UserFactory(roles=[roles.LEARNER, roles.HR], **kwargs)
    hr_scope_grant(user=user, unit=unit)
    return user


__all__ = ["UnitFactory", "UserFactory", "HrScope", "hr_user"]
