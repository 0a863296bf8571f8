from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .fields import BoundedIntegerField
from .models import (
    AuditEvent,
    Coordinator,
    Group,
    GroupNeed,
    HelpService,
    Invitation,
    Membership,
    Organisation,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "created"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    readonly_fields = ["created", "updated", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "created", "updated"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    raw_id_fields = ["user"]


class OrganisationForm(forms.ModelForm):
    """The admin's organisation settings, bounded: months the app can count with."""

    breach_retention_months = BoundedIntegerField(
        label=_("keep breach records for (months)"),
        min_value=1,
        max_value=120,
        help_text=_("Records of broken ground rules are deleted after this many months."),
    )
    reassess_every_months = BoundedIntegerField(
        label=_("reassess venues every (months)"),
        min_value=1,
        max_value=60,
        help_text=_("A venue's assessment falls due again after this many months."),
    )
    concern_retention_months = BoundedIntegerField(
        label=_("keep private messages for (months)"),
        min_value=1,
        max_value=120,
        help_text=_(
            "Messages members send privately to facilitators or coordinators are deleted "
            "this many months after someone has followed them up."
        ),
    )

    class Meta:
        model = Organisation
        fields = "__all__"  # noqa: DJ007 (the admin's own form: the fieldsets choose)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "slug", "created"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CoordinatorInline]


class GroupNeedInline(admin.TabularInline):
    model = GroupNeed
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "joined_at", "left_at", "ending"]
    # When someone joined decides whether their anonymous answers count towards a
    # release (docs/privacy.md): nobody back-dates it, not even here.
    readonly_fields = ["joined_at"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "format", "upheld_by", "archived_at"]
    list_filter = ["organisation", "format", "archived_at"]
    search_fields = ["name"]
    readonly_fields = ["slug", "created", "updated"]
    inlines = [GroupNeedInline, MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "role",
        "organisation",
        "group",
        "created",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "organisation"]
    readonly_fields = ["uuid", "token_hash", "created", "updated", "accepted_by", "invited_by"]


# Private messages (Concern) are deliberately not in the admin: only the people a member
# sent one to may read it.


@admin.register(HelpService)
class HelpServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "group", "phone", "hours"]
    search_fields = ["name"]
    raw_id_fields = ["group"]
    readonly_fields = ["uuid", "created", "updated"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Site admins read every organisation's trail, and events about people alone (signing
    in, second factors, own data). Nobody adds, changes or deletes one here: only
    `manage.py housekeeping` deletes them, after AUDIT_RETENTION_MONTHS."""

    list_display = ["created", "action", "actor", "subject", "organisation", "group", "target"]
    list_filter = ["action", "organisation"]
    list_select_related = ["actor", "subject", "organisation", "group"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
