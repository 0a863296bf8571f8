from django.urls import path

from .views import concerns, groups, help, invitations, members, organisations

app_name = "groups"

urlpatterns = [
    path("groups/", groups.group_list, name="list"),
    path("groups/<slug:slug>/", groups.group_detail, name="detail"),
    path("groups/<slug:slug>/edit/", groups.group_edit, name="edit"),
    path("groups/<slug:slug>/archive/", groups.group_archive, name="archive"),
    path("groups/<slug:slug>/restore/", groups.group_restore, name="restore"),
    path("groups/<slug:slug>/members/", members.member_list, name="members"),
    path(
        "groups/<slug:slug>/members/<uuid:membership>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path("groups/<slug:slug>/leave/", members.group_leave, name="leave"),
    path("groups/<slug:slug>/invitations/", invitations.group_invitations, name="invitations"),
    path(
        "groups/<slug:slug>/invitations/<uuid:invitation>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("groups/<slug:slug>/tell-someone/", concerns.concern_new, name="concern_new"),
    path("groups/<slug:slug>/messages/", concerns.concern_list, name="concerns"),
    path("groups/<slug:slug>/messages/<uuid:concern>/", concerns.concern_detail, name="concern"),
    path("groups/<slug:slug>/help/", help.help_list, name="help_list"),
    path("groups/<slug:slug>/help/<uuid:service>/", help.help_edit, name="help_edit"),
    path("groups/<slug:slug>/help/<uuid:service>/remove/", help.help_remove, name="help_remove"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/help/",
        help.help_list,
        {"scope": "organisation"},
        name="org_help_list",
    ),
    path(
        "organisations/<slug:slug>/help/<uuid:service>/",
        help.help_edit,
        {"scope": "organisation"},
        name="org_help_edit",
    ),
    path(
        "organisations/<slug:slug>/help/<uuid:service>/remove/",
        help.help_remove,
        {"scope": "organisation"},
        name="org_help_remove",
    ),
    path("organisations/<slug:slug>/groups/new/", organisations.group_create, name="group_create"),
    path(
        "organisations/<slug:slug>/coordinators/", organisations.coordinators, name="coordinators"
    ),
    path("organisations/<slug:slug>/audit/", organisations.audit, name="audit"),
    path(
        "organisations/<slug:slug>/invitations/<uuid:invitation>/revoke/",
        organisations.coordinator_invitation_revoke,
        name="coordinator_invitation_revoke",
    ),
]
