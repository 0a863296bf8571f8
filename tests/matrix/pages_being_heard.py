"""Matrix page specs and effect checks: private messages (concerns) and lists of help."""

from django.urls import reverse

from groups.models import Concern, HelpService
from tests.matrix.page import (
    Page,
    absolute,
    group_kwargs,
    org_kwargs,
    private_mail_to,
    redirects_to,
    stamp,
)
from tests.matrix.world import GROUP_HELP, ORG_HELP, TO_COORDINATORS_TEXT, TO_FACILITATORS_TEXT

NEW_CONCERN = "Someone keeps asking where I live."
NEW_SERVICE = {
    "name": "Night Owls Helpline",
    "what_for": "Someone to talk to at night",
    "phone": "0800 555 0199",
    "text_number": "",
    "hours": "10pm to 6am",
    "website": "https://night-owls.example.org/",
}


def concern_new_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    sent = Concern.objects.get(text=NEW_CONCERN)
    assert (sent.group, sent.sender, sent.to, sent.followed_up_at) == (
        w.cast.group_a,
        actor,
        Concern.To.COORDINATORS,
        None,
    )
    # One email to organisation A's coordinator, naming neither group nor sender.
    link = absolute(reverse("groups:concern", args=[w.cast.group_a.slug, sent.uuid]))
    private_mail_to(w, mail, [w.cast.coordinator], link)
    for message in mail:
        assert actor.display_name not in message.subject + message.body
        assert NEW_CONCERN not in message.body


def concern_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:concerns", args=[w.cast.group_a.slug]))
    concern = Concern.objects.get(pk=w.heard.to_facilitators.pk)
    assert concern.followed_up_at is not None
    assert (concern.followed_up_by, concern.follow_up_note) == (actor, "Talked after the meeting.")
    assert mail == []


def _service_added(w, actor, response, client, mail, *, url, owner):
    redirects_to(response, url)
    added = HelpService.objects.get(name=NEW_SERVICE["name"])
    assert (added.group, added.organisation) == owner
    assert (added.phone, added.tel, added.hours) == ("0800 555 0199", "08005550199", "10pm to 6am")


def help_list_done(w, actor, response, client, mail):
    url = reverse("groups:help_list", args=[w.cast.group_a.slug])
    _service_added(w, actor, response, client, mail, url=url, owner=(w.cast.group_a, None))


def org_help_list_done(w, actor, response, client, mail):
    url = reverse("groups:org_help_list", args=[w.cast.org_a.slug])
    _service_added(w, actor, response, client, mail, url=url, owner=(None, w.cast.org_a))


def _edited(w, response, service, url):
    redirects_to(response, url)
    service.refresh_from_db()
    assert (service.name, service.website) == (NEW_SERVICE["name"], NEW_SERVICE["website"])


def help_edit_done(w, actor, response, client, mail):
    url = reverse("groups:help_list", args=[w.cast.group_a.slug])
    _edited(w, response, w.heard.group_help, url)


def org_help_edit_done(w, actor, response, client, mail):
    url = reverse("groups:org_help_list", args=[w.cast.org_a.slug])
    _edited(w, response, w.heard.org_help, url)


def help_remove_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:help_list", args=[w.cast.group_a.slug]))
    assert not HelpService.objects.filter(pk=w.heard.group_help.pk).exists()
    assert HelpService.objects.filter(pk=w.heard.org_help.pk).exists()


def org_help_remove_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:org_help_list", args=[w.cast.org_a.slug]))
    assert not HelpService.objects.filter(pk=w.heard.org_help.pk).exists()
    assert HelpService.objects.filter(pk=w.heard.group_help.pk).exists()


def _concerns_shown(w, role, actor):
    # Each sees only what was sent to them: the facilitator the open message to the
    # facilitators; the coordinator the followed-up one to the coordinators.
    if role == "facilitator":
        return ["Private messages to you", TO_FACILITATORS_TEXT, "Not followed up yet"]
    return ["Private messages to you", TO_COORDINATORS_TEXT, "Followed up by"]


BEING_HEARD_PAGES = {
    "groups:concern_new": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: {"to": Concern.To.COORDINATORS, "text": NEW_CONCERN},
        effect=concern_new_done,
        shows=lambda w, role, actor: [
            "Tell someone privately",
            "This message is not anonymous.",
            "never linked to your anonymous",
            w.cast.coordinator.display_name,  # who would read it
        ],
    ),
    "groups:concerns": Page(kwargs=group_kwargs, private_object=True, shows=_concerns_shown),
    "groups:concern": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "concern": w.heard.to_facilitators.uuid},
        private_object=True,
        post=lambda w, actor: {"note": "Talked after the meeting."},
        effect=concern_done,
        shows=lambda w, role, actor: [
            f"A private message from {w.cast.peer.display_name}",
            TO_FACILITATORS_TEXT,
            "Mark as followed up",
        ],
    ),
    "groups:help_list": Page(
        kwargs=group_kwargs,
        private_object=True,
        post=lambda w, actor: NEW_SERVICE,
        effect=help_list_done,
        shows=lambda w, role, actor: ["The group's list of help", GROUP_HELP, "Add a service"],
    ),
    "groups:help_edit": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "service": w.heard.group_help.uuid},
        private_object=True,
        post=lambda w, actor: {**NEW_SERVICE, "base": stamp(w.heard.group_help)},
        effect=help_edit_done,
        shows=lambda w, role, actor: [f"Edit {GROUP_HELP}", "0800 111 2222"],
    ),
    "groups:help_remove": Page(
        kwargs=lambda w: {"slug": w.cast.group_a.slug, "service": w.heard.group_help.uuid},
        private_object=True,
        effect=help_remove_done,
    ),
    "groups:org_help_list": Page(
        kwargs=org_kwargs,
        private_object=True,
        post=lambda w, actor: NEW_SERVICE,
        effect=org_help_list_done,
        shows=lambda w, role, actor: [
            "The organisation's list of help",
            ORG_HELP,
            "Add a service",
        ],
    ),
    "groups:org_help_edit": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "service": w.heard.org_help.uuid},
        private_object=True,
        post=lambda w, actor: {**NEW_SERVICE, "base": stamp(w.heard.org_help)},
        effect=org_help_edit_done,
        shows=lambda w, role, actor: [f"Edit {ORG_HELP}", "0161 000 0000"],
    ),
    "groups:org_help_remove": Page(
        kwargs=lambda w: {"slug": w.cast.org_a.slug, "service": w.heard.org_help.uuid},
        private_object=True,
        effect=org_help_remove_done,
    ),
}
