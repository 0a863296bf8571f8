from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
