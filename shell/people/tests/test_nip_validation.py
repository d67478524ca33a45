import pytest
from django.core.exceptions import ValidationError

from shell.people.models import User
from shell.people.validators import validate_nip


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19850312 201001 1 001", "hanya boleh berisi angka"),
        ("1985031220100110", "harus 18 digit; yang diisi 16 digit"),
        ("198513122010011001", "tanggal lahir yang sah"),
        ("198503122010131001", "bulan 13 tidak ada"),
        ("198503121990011001", "tidak masuk akal"),
        ("198503122010013001", "jenis kelamin"),
        ("198503122010011000", "nomor urut"),
    ],
)
def test_invalid_nip_says_what_is_wrong(nip, message):
    with pytest.raises(ValidationError) as error:
        validate_nip(nip)
    assert message in str(error.value)


def test_valid_nip_passes():
    validate_nip("198503122010011001")


@pytest.mark.django_db
def test_pns_without_nip_is_refused_but_non_asn_is_not():
    pns = User(username="a", employment_type=User.EmploymentType.PNS)
    with pytest.raises(ValidationError) as error:
        pns.full_clean(exclude=["password"])
    assert "NIP wajib diisi" in str(error.value)
    User(username="b", employment_type=User.EmploymentType.NON_ASN, nip="").full_clean(exclude=["password"])


@pytest.mark.django_db
def test_admin_user_form_shows_nip_error_not_500(admin_client):
    data = {
        "username": "baru",
        "password1": "Pw-very-long-123",
        "password2": "Pw-very-long-123",
        "usable_password": "true",
        "full_name": "Pegawai Baru",
        "employment_type": "pns",
        "hr_scopes-TOTAL_FORMS": "0",
        "hr_scopes-INITIAL_FORMS": "0",
    }
    response = admin_client.post("/django-admin/people/user/add/", {**data, "nip": "12345"})
    assert response.status_code == 200
    assert "NIP harus 18 digit; yang diisi 5 digit." in response.content.decode()
    response = admin_client.post("/django-admin/people/user/add/", {**data, "nip": ""})
    assert "NIP wajib diisi untuk pegawai PNS dan PPPK." in response.content.decode()
    response = admin_client.post("/django-admin/people/user/add/", {**data, "nip": "198503122010011001"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="baru").nip == "198503122010011001"
