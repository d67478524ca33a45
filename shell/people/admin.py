from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import HrScope, Unit, User


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind")
    search_fields = ("name", "code")


class HrScopeInline(admin.TabularInline):
    model = HrScope
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("unit",)


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "nip", "employment_type", "unit", "position", "supervisor")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "nip", "unit", "employment_type", "is_active")
    list_filter = ("employment_type", "is_active", "groups")
    search_fields = ("username", "full_name", "nip", "email")
    autocomplete_fields = ("unit", "supervisor")
    inlines = [HrScopeInline]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Kepegawaian"), {"fields": ("full_name", "nip", "employment_type", "unit", "position", "supervisor")}),
    )
    add_form = UserCreationForm
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Kepegawaian"),
            {
                "fields": (
                    "full_name",
                    "nip",
                    "nik",
                    "unit",
                    "position",
                    "position_type",
                    "employment_type",
                    "supervisor",
                    "hired_on",
                )
            },
        ),
    )
