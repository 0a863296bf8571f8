"""Telling someone privately: a named message reaches exactly the people it was sent to.

The world: organisation R with coordinators Cora, and Dual (who also facilitates group
A); group A with facilitators Fay and Dual and peer Pat; group B (same organisation)
with facilitator Ben; organisation O's coordinator Otto. Pat writes once to group A's
facilitators and once to the coordinators about a facilitator.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.facts import open_concerns
from groups.models import Concern, Membership, Organisation
from groups.selectors import concerns_for_user
from tests.builders import add_member, group, make_organisation, make_user
from tests.pages import text

PURPOSE = "For survivors of domestic abuse in the north of the city"
TO_FACILITATORS = "I do not feel safe walking to the bus stop after the meeting."
ABOUT_FACILITATOR = "Fay told my story to someone outside the group."
LINK = "https://safespace.test/m/"


@pytest.fixture
def w(db):
    cora, dual, fay, pat, ben, otto = (
        make_user(n) for n in ("Cora", "Dual", "Fay", "Pat Sender", "Ben", "Otto")
    )
    org = make_organisation("Riverside", coordinators=[cora, dual])
    other_org = make_organisation("Elsewhere", coordinators=[otto])
    group_a = group(org, "Survivors Circle", facilitators=[fay, dual], peers=[pat], purpose=PURPOSE)
    group_b = group(org, "Carers Group", facilitators=[ben])
    return SimpleNamespace(**locals())


def send(w, to, text, sender=None):
    return services.send_concern(
        group=w.group_a, sender=sender or w.pat, to=to, text=text, link=lambda c: LINK + str(c.uuid)
    )


def readers(concern, people):
    return {p.display_name for p in people if concerns_for_user(p).filter(pk=concern.pk).exists()}


def test_a_message_to_the_facilitators_reaches_them_and_nobody_else(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = send(w, Concern.To.FACILITATORS, TO_FACILITATORS)

    everyone = [w.cora, w.dual, w.fay, w.pat, w.ben, w.otto]
    # The group's two facilitators; not the coordinators, not group B's facilitator.
    assert readers(concern, everyone) == {"Fay", "Dual"}
    assert sorted(m.to for m in mailoutbox) == sorted([[w.fay.email], [w.dual.email]])


def test_a_message_about_a_facilitator_never_reaches_a_facilitator_of_the_group(
    w, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = send(w, Concern.To.COORDINATORS, ABOUT_FACILITATOR)

    everyone = [w.cora, w.dual, w.fay, w.pat, w.ben, w.otto]
    # Dual coordinates the organisation but facilitates group A: left out.
    assert readers(concern, everyone) == {"Cora"}
    assert [m.to for m in mailoutbox] == [[w.cora.email]]


def test_the_form_names_who_will_read_it_and_never_a_facilitator_for_the_coordinators(
    w, client_for
):
    page = text(client_for(w.pat).get(reverse("groups:concern_new", args=[w.group_a.slug])))
    assert "The group's facilitators (Dual, Fay)" in page
    assert "if it is about a facilitator (Cora)" in page
    assert "This message is not anonymous." in page
    assert "never linked to your anonymous" in page


def _walk(client, w, concern):
    slug = w.group_a.slug
    urls = {
        "list": reverse("groups:concerns", args=[slug]),
        "detail": reverse("groups:concern", args=[slug, concern.uuid]),
    }
    seen = {}
    for name, url in urls.items():
        response = client.get(url)
        seen[name] = (response.status_code, concern.text in response.content.decode())
    response = client.post(urls["detail"], {"note": "Seen."})
    seen["follow_up"] = response.status_code
    return seen


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (
            Concern.To.FACILITATORS,
            {
                "Fay": {"list": (200, True), "detail": (200, True), "follow_up": 302},
                "Dual": {"list": (200, True), "detail": (200, True), "follow_up": 302},
                "Cora": {"list": (200, False), "detail": (404, False), "follow_up": 404},
                "Pat Sender": {"list": (403, False), "detail": (404, False), "follow_up": 404},
                "Ben": {"list": (404, False), "detail": (404, False), "follow_up": 404},
                "Otto": {"list": (404, False), "detail": (404, False), "follow_up": 404},
                None: {"list": (302, False), "detail": (302, False), "follow_up": 302},
            },
        ),
        (
            Concern.To.COORDINATORS,
            {
                "Cora": {"list": (200, True), "detail": (200, True), "follow_up": 302},
                "Dual": {"list": (200, False), "detail": (404, False), "follow_up": 404},
                "Fay": {"list": (200, False), "detail": (404, False), "follow_up": 404},
                "Pat Sender": {"list": (403, False), "detail": (404, False), "follow_up": 404},
                "Ben": {"list": (404, False), "detail": (404, False), "follow_up": 404},
                "Otto": {"list": (404, False), "detail": (404, False), "follow_up": 404},
                None: {"list": (302, False), "detail": (302, False), "follow_up": 302},
            },
        ),
    ],
)
def test_every_concern_url_as_every_role(w, client_for, to, expected):
    """Each message's list, page and follow-up, asked for by everyone: only its readers
    see its words or can follow it up; nobody else changes anything."""
    concern = send(w, to, TO_FACILITATORS if to == Concern.To.FACILITATORS else ABOUT_FACILITATOR)
    people = {p.display_name: p for p in [w.cora, w.dual, w.fay, w.pat, w.ben, w.otto]}
    for name, outcome in expected.items():
        Concern.objects.filter(pk=concern.pk).update(
            followed_up_at=None, followed_up_by=None, follow_up_note=""
        )
        seen = _walk(client_for(people.get(name)), w, concern)
        assert seen == outcome, name
        concern.refresh_from_db()
        if outcome["follow_up"] == 302 and name:
            assert concern.followed_up_by == people[name]
        else:
            assert concern.followed_up_at is None, name


def test_the_email_names_nothing(w, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern = send(w, Concern.To.FACILITATORS, TO_FACILITATORS)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert len(message.to) == 1  # one each: nobody sees another's address
        assert message.subject == (
            "Someone in a group you support has sent you a message on SafeSpace"
        )
        assert LINK + str(concern.uuid) in message.body
        everything = message.subject + message.body
        for secret in (w.group_a.name, PURPOSE, w.org.name, w.pat.display_name, w.pat.email):
            assert secret not in everything
        assert TO_FACILITATORS not in everything
        assert "bus stop" not in everything


def test_no_email_before_the_message_is_saved(w, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(w, Concern.To.FACILITATORS, TO_FACILITATORS)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_sending_through_the_page(w, client_for, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(w.pat)
    url = reverse("groups:concern_new", args=[w.group_a.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to": "facilitators", "text": "  " + TO_FACILITATORS})
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.sender, concern.to, concern.text) == (w.pat, "facilitators", TO_FACILITATORS)
    assert len(mailoutbox) == 2
    link = "http://testserver" + reverse("groups:concern", args=[w.group_a.slug, concern.uuid])
    assert all(link in m.body for m in mailoutbox)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"to": "facilitators", "text": "x" * 2001}, "at most 2000 characters"),
        ({"to": "facilitators", "text": "   "}, "This field is required"),
        ({"to": "everyone", "text": "Hello"}, "Select a valid choice"),
        ({"text": "Hello"}, "This field is required"),
    ],
)
def test_bad_input_gets_a_form_error_and_sends_nothing(w, client_for, mailoutbox, data, error):
    response = client_for(w.pat).post(reverse("groups:concern_new", args=[w.group_a.slug]), data)
    assert response.status_code == 200
    assert error in text(response)
    assert not Concern.objects.exists()
    assert mailoutbox == []


def test_with_no_facilitator_the_facilitators_are_not_offered(w, client_for):
    Membership.objects.filter(group=w.group_a, role="facilitator").update(
        left_at=timezone.now(), ending="left"
    )
    client = client_for(w.pat)
    url = reverse("groups:concern_new", args=[w.group_a.slug])
    assert "The group's facilitators" not in text(client.get(url))
    response = client.post(url, {"to": "facilitators", "text": "Hello"})
    assert "Select a valid choice" in text(response)
    assert not Concern.objects.exists()


def test_a_sender_is_held_back_after_five_messages_in_an_hour(w, client_for):
    client = client_for(w.pat)
    url = reverse("groups:concern_new", args=[w.group_a.slug])
    for n in range(5):
        assert client.post(url, {"to": "facilitators", "text": f"Note {n}"}).status_code == 302
    refused = client.post(url, {"to": "facilitators", "text": "Note 6"})
    assert "Please wait a little before sending another" in text(refused)
    assert Concern.objects.count() == 5


def test_only_members_of_an_active_group_can_write(w, client_for):
    url = reverse("groups:concern_new", args=[w.group_a.slug])
    assert client_for(w.cora).get(url).status_code == 403  # a coordinator is not a member
    assert client_for(w.ben).get(url).status_code == 404
    services.archive_group(w.group_a)
    assert client_for(w.pat).get(url).status_code == 403


def test_follow_up_is_recorded_once(w, client_for):
    concern = send(w, Concern.To.FACILITATORS, TO_FACILITATORS)
    url = reverse("groups:concern", args=[w.group_a.slug, concern.uuid])
    response = client_for(w.fay).post(url, {"note": "Walked with her to the bus."})
    assert response["Location"] == reverse("groups:concerns", args=[w.group_a.slug])
    concern.refresh_from_db()
    assert concern.followed_up_by == w.fay
    assert concern.follow_up_note == "Walked with her to the bus."
    first = concern.followed_up_at
    assert first is not None
    # Dual, later, changes nothing: it is already followed up.
    again = client_for(w.dual).post(url, {"note": "Me too."})
    assert again.status_code == 200
    assert "Followed up by Fay" in text(again)
    concern.refresh_from_db()
    assert (concern.followed_up_by, concern.followed_up_at) == (w.fay, first)
    assert services.follow_up_concern(concern=concern, by=w.dual) is False


def test_follow_up_note_is_bounded(w, client_for):
    concern = send(w, Concern.To.FACILITATORS, TO_FACILITATORS)
    url = reverse("groups:concern", args=[w.group_a.slug, concern.uuid])
    response = client_for(w.fay).post(url, {"note": "x" * 1001})
    assert "at most 1000 characters" in text(response)
    concern.refresh_from_db()
    assert concern.is_open


def test_open_messages_are_on_the_readers_home_pages(w, client_for):
    send(w, Concern.To.FACILITATORS, TO_FACILITATORS)
    send(w, Concern.To.COORDINATORS, ABOUT_FACILITATOR)
    fay_home = text(client_for(w.fay).get(reverse("home")))
    assert "Survivors Circle: 1 message not followed up yet" in fay_home
    # Cora, who coordinates one organisation and is in no group, is usually sent to the
    # dashboard: a message waiting for her comes first.
    cora_home = client_for(w.cora).get(reverse("home"))
    assert cora_home.status_code == 200
    assert "Survivors Circle: 1 message not followed up yet" in text(cora_home)
    for person in (w.pat, w.ben):
        assert "Private messages waiting" not in text(client_for(person).get(reverse("home")))
    Concern.objects.update(followed_up_at=timezone.now())
    assert client_for(w.cora).get(reverse("home")).status_code == 302


def test_open_concerns_per_group_in_one_query(w, django_assert_num_queries):
    send(w, Concern.To.FACILITATORS, "one")
    send(w, Concern.To.FACILITATORS, "two")
    later = send(w, Concern.To.COORDINATORS, "three")
    services.follow_up_concern(concern=send(w, Concern.To.COORDINATORS, "done"), by=w.cora)
    with django_assert_num_queries(1):
        facts = open_concerns([w.group_a.pk, w.group_b.pk])
    a, b = facts[w.group_a.pk], facts[w.group_b.pk]
    assert (a.facilitators, a.coordinators) == (2, 1)
    assert a.oldest_to_coordinators == later.created
    assert (b.facilitators, b.coordinators, b.oldest_to_facilitators) == (0, 0, None)


def test_a_senders_account_deleted_leaves_the_message_to_a_former_member(w, client_for):
    concern = send(w, Concern.To.FACILITATORS, TO_FACILITATORS)
    w.pat.delete()
    page = text(
        client_for(w.fay).get(reverse("groups:concern", args=[w.group_a.slug, concern.uuid]))
    )
    assert "A private message from a former member" in page


# Retention -------------------------------------------------------------------------------


def _followed_up(w, text, days_ago, group=None):
    concern = Concern.objects.create(
        group=group or w.group_a, sender=w.pat, to=Concern.To.FACILITATORS, text=text
    )
    Concern.objects.filter(pk=concern.pk).update(
        followed_up_at=timezone.now() - timedelta(days=days_ago), followed_up_by=w.fay
    )
    return concern


def test_purge_deletes_only_what_is_past_its_period(w):
    short = make_organisation("Short memory")
    Organisation.objects.filter(pk=short.pk).update(concern_retention_months=3)
    short_group = group(short, "Short group")
    add_member(short_group, w.pat)
    old_open = Concern.objects.create(group=w.group_a, sender=w.pat, to="facilitators", text="o")
    Concern.objects.filter(pk=old_open.pk).update(created=timezone.now() - timedelta(days=900))
    kept = [
        old_open,  # never followed up: kept until someone does
        _followed_up(w, "recent", 30),
        _followed_up(w, "eleven months", 335),
        _followed_up(w, "short, two months", 60, short_group),
    ]
    gone = [
        _followed_up(w, "thirteen months", 400),
        _followed_up(w, "short, four months", 125, short_group),
    ]

    assert services.purge_old_concerns() == 2

    assert set(Concern.objects.values_list("pk", flat=True)) == {c.pk for c in kept}
    assert not Concern.objects.filter(pk__in=[c.pk for c in gone]).exists()
    assert services.purge_old_concerns() == 0  # again: nothing more


def test_housekeeping_runs_the_purge(w, capsys):
    _followed_up(w, "thirteen months", 400)
    call_command("housekeeping")
    out = capsys.readouterr().out
    assert "1 private messages followed up longer ago than" in out
    assert not Concern.objects.exists()
