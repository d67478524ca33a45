from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shell.inbox.models import Notification


class ModuleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    icon = serializers.CharField()
    url = serializers.CharField(help_text=_("Alamat halaman modul di aplikasi web."))
    api = serializers.CharField(allow_blank=True, help_text=_("Awalan API modul, kosong bila tidak ada."))


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
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
