from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shell.inbox.models import Notification

User = get_user_model()


class ModuleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    icon = serializers.CharField()
    url = serializers.CharField(help_text=_("Alamat halaman modul di aplikasi web."))
    api = serializers.CharField(allow_blank=True, help_text=_("Awalan API modul, kosong bila tidak ada."))


class AppLaunchSerializer(serializers.Serializer):
    url = serializers.CharField(help_text=_("Alamat yang dibuka: alamat pembuka aplikasi dengan kode sekali pakai."))
    expires_in = serializers.IntegerField(
        allow_null=True, help_text=_("Detik berlakunya kode; kosong bila aplikasi publik (tanpa kode).")
    )


class TileSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    url = serializers.CharField()
    icon = serializers.CharField()
    badge = serializers.CharField(allow_blank=True)


class ProfileSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    nip = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(source="unit.name", default=None, allow_null=True)
    position = serializers.CharField(allow_blank=True)
    employment_type = serializers.CharField()
    unread_notifications = serializers.IntegerField()


class NotificationSerializer(serializers.ModelSerializer):
    module = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "module", "title", "body", "url", "created_at", "read_at", "read"]

    def get_module(self, obj) -> str:
        return obj.kind.split(".", 1)[0] if "." in obj.kind else ""

    def get_kind_label(self, obj) -> str:
        return str(self.context.get("kinds", {}).get(obj.kind, ""))

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class TokenRequestSerializer(serializers.Serializer):
    # no longer than a username can be: django-axes records a failed login's username in 255
    # characters, and a longer one failed the insert on PostgreSQL (a 500)
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False)


def validated_query(serializer_class: type[serializers.Serializer], request) -> dict:
    """The request's query parameters checked by ``serializer_class`` (a 400 says what is wrong); an
    empty value counts as absent, as it does for DRF's ``page``."""
    query = serializer_class(data={key: value for key, value in request.query_params.items() if value != ""})
    query.is_valid(raise_exception=True)
    return query.validated_data


def year_field(*, help_text: str) -> serializers.IntegerField:
    """An optional ``?year=`` of the calendar years the platform keeps (a number of 4,300 digits is refused
    with the same message as any other bad year, not a 500)."""
    return serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=help_text,
        error_messages={
            key: _("Tahun harus berupa angka empat digit, mis. 2026.")
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )
