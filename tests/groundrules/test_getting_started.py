"""Getting started uses its answers: "not for now" is a decision with a date to look
again; who writes the rules sets who upholds them and who may suggest; what happens if one
is broken is offered for each new rule; starters fit the group's format and upholders."""

import re

from django.utils import timezone

from groundrules.models import Rulebook, Version
from groups.conflicts import stamp_of
from groups.dates import add_months
from groups.models import Group


def html_of(response):
    return response.content.decode()


def answers(group=None, **extra):
    """The form's answers; with `group`, from the answers it has now (the form's base)."""
    saved = Rulebook.objects.filter(group=group).first() if group else None
    return {
        "base": stamp_of(saved) if saved else "",
        "want_rules": "yes",
        "advantages": "",
        "who_writes": "All of us.",
        "upheld_by": "facilitators",
        "suggestions_from": "everyone",
        "how_shared": "",
        "if_broken": "",
        "review_every_months": "6",
        **extra,
    }


def long(day):
    return f"{day.day} {day:%B %Y}"


def test_not_for_now_is_a_decision_with_a_date_to_look_again(cast, client_for, gr):
    group, today = cast.group_a, timezone.localdate()
    client = client_for(cast.facilitator)
    page = html_of(client.get(gr.url("start", group)))
    assert f'name="revisit_on" value="{add_months(today, 6).isoformat()}"' in page

    for day in (today, add_months(today, 25)):
        response = client.post(
            gr.url("start", group), answers(group, want_rules="no", revisit_on=day.isoformat())
        )
        assert response.status_code == 200 and not Rulebook.objects.exists()

    revisit = add_months(today, 3)
    response = client.post(
        gr.url("start", group),
        answers(
            group,
            want_rules="no",
            revisit_on=revisit.isoformat(),
            note_for_group="We trust each other; we'll see how it goes.",
        ),
    )
    assert response["Location"] == gr.url("home", group)
    rulebook = Rulebook.objects.get(group=group)
    assert (rulebook.want_rules, rulebook.decided_on, rulebook.revisit_on) == ("no", today, revisit)

    for user, button in ((cast.facilitator, True), (cast.peer, False)):
        home = html_of(client_for(user).get(gr.url("home", group)))
        assert "The group has decided not to have ground rules for now" in home
        assert f"Decided on {long(today)}." in home
        assert f"The group will look at this again by {long(revisit)}." in home
        assert "We trust each other; we&#x27;ll see how it goes." in home
        assert ("Look at this again" in home) is button
        assert "This group has no ground rules yet" not in home

    # No starter picker while the answer is "not for now".
    client = client_for(cast.facilitator)
    response = client.get(gr.url("starters", group), follow=True)
    assert response.redirect_chain == [(gr.url("start", group), 302)]
    assert "Change that answer first." in html_of(response)
    assert client.post(gr.url("starters", group), {"starters": ["listen"]}).status_code == 302
    assert not Version.objects.exists()

    # When the date comes, the page says so.
    Rulebook.objects.filter(group=group).update(revisit_on=today)
    home = html_of(client.get(gr.url("home", group)))
    assert f"look at this again by {long(today)}: that time has come." in home

    # Coming back: "yes" goes on to the starters, and the decision is cleared.
    response = client.post(gr.url("start", group), answers(group, revisit_on=revisit.isoformat()))
    assert response["Location"] == gr.url("starters", group)
    rulebook.refresh_from_db()
    assert (
        rulebook.want_rules,
        rulebook.decided_on,
        rulebook.revisit_on,
        rulebook.note_for_group,
    ) == (
        "yes",
        None,
        None,
        "",
    )


def test_who_writes_them_sets_who_upholds_and_who_may_suggest(cast, client_for, gr):
    group = cast.group_a
    gr.adopt(group, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer])
    client = client_for(cast.facilitator)
    client.post(gr.url("start", group), answers(group, suggestions_from="upholders"))
    assert "Suggest a change" in html_of(client.get(gr.url("home", group)))
    peer = client_for(cast.peer)
    before = gr.state()
    assert peer.get(gr.url("proposal_new", group)).status_code == 403
    assert "Suggest a change" not in html_of(peer.get(gr.url("home", group)))
    assert gr.state() == before

    client = client_for(cast.facilitator)
    client.post(
        gr.url("start", group), answers(group, upheld_by="everyone", suggestions_from="upholders")
    )
    peer = client_for(cast.peer)
    group.refresh_from_db()
    assert group.upheld_by == Group.UpheldBy.EVERYONE
    assert peer.get(gr.url("proposal_new", group)).status_code == 200  # everyone upholds
    home = html_of(peer.get(gr.url("home", group)))
    assert "Who upholds them now Everyone in the group, together" in re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", home)
    )


def test_what_happens_if_a_rule_is_broken_is_offered_for_each_new_rule(cast, client_for, gr):
    group = cast.group_a
    client = client_for(cast.facilitator)
    client.post(gr.url("start", group), answers(group, if_broken="A quiet word, then a reminder."))
    gr.draft(group, cast.facilitator)
    for url in (gr.url("draft", group), gr.url("rule_add", group)):
        page = html_of(client.get(url))
        assert re.search(
            r'<textarea name="if_broken"[^>]*>\s*A quiet word, then a reminder\.', page
        )


def test_how_the_group_tells_everyone_is_beside_the_print_and_handout(cast, client_for, gr):
    group = cast.group_a
    client_for(cast.facilitator).post(
        gr.url("start", group), answers(group, how_shared="Read out at the start of each meeting.")
    )
    gr.adopt(group, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer])
    home = html_of(client_for(cast.peer).get(gr.url("home", group)))
    assert (
        "How the group said it would tell everyone: Read out at the start of each meeting." in home
    )
    assert gr.url("print", group) in home and gr.url("handout", group) in home


def starter_keys(page):
    return re.findall(r'name="starters" value="([^"]+)"', page)


def test_starters_fit_the_groups_format_and_who_upholds_the_rules(cast, client_for, gr):
    group = cast.group_a
    client = client_for(cast.facilitator)
    in_person = starter_keys(html_of(client.get(gr.url("starters", group))))
    assert "phones" in in_person and "cameras" not in in_person

    Group.objects.filter(pk=group.pk).update(format=Group.Format.ONLINE, upheld_by="everyone")
    page = html_of(client.get(gr.url("starters", group)))
    online = starter_keys(page)
    assert "phones" not in online and {"cameras", "no-screenshots"} <= set(online)

    before = gr.state()
    response = client.post(gr.url("starters", group), {"starters": ["phones"]})
    assert "Select a valid choice" in html_of(response) and gr.state() == before

    client.post(gr.url("starters", group), {"starters": ["stays-here", "no-screenshots"]})
    draft = Version.objects.get(group=group)
    assert list(draft.rules.order_by("position").values_list("if_broken", flat=True)) == [
        "Someone in the group has a quiet word with the person, and we remind each other.",
        "The person is removed from the session and the group talks about it together.",
    ]
    assert not draft.rules.filter(if_broken__icontains="facilitator").exists()
