"""The default venue questions, which of them apply where, and versioned edits by coordinators."""

import pytest
from django.test import Client

from groups.models import Coordinator, Group, GroupNeed
from tests.builders import make_user
from venues import services
from venues.models import Assessment, Question, Template, Venue

# The toolkit's reflective questions, list by list, by the key each has in the template.
TOOLKIT_BEING_SAFE = [
    "easy-to-find",  # Is the venue easy to get to and find?
    "public-transport",  # Can we get there using public transport?
    "other-users",  # Who else uses the venue? Will people feel comfortable...?
    "private",  # Is it private enough?
    "large-enough",  # Is it large enough?
    "accessible",  # Is the venue accessible? ... level access ... accessible toilets?
    "staffed",  # Is the venue staffed by people who could help...?
    "culturally-appropriate",  # Is the venue culturally appropriate?
    "specific-needs",  # Does the venue account for specific needs...?
    "platform-secure",  # Is the platform you're using secure and confidential?
    "members-equipped",  # Do members have the right resources to join online...?
]
TOOLKIT_FEELING_SAFE = [
    "welcoming",  # Does the venue feel welcoming?
    "too-clinical",  # Does the venue feel too clinical? (No is safe)
    "individual-problems",  # Do peers have any individual problems with the venue? (No is safe)
    "refreshments",  # Is there access to a kitchen or refreshments?
    "safe-area",  # Is the venue in an area people feel safe accessing?
    "platform-understood",  # Are members aware of how the online platform works?
    "safe-place-to-join",  # Do members have a safe and comfortable space to join online?
    "moment-away",  # Is there a safe space to take a moment away from the group?
]
# The questions each need adds, one thing each; and those a need's own questions replace.
NEED_KEYS = {
    GroupNeed.Need.WOMEN_ONLY: ["need-women-only"],
    GroupNeed.Need.ALCOHOL_FREE: ["need-alcohol-free", "need-away-from-pubs"],
    GroupNeed.Need.STEP_FREE: ["need-step-free", "need-accessible-toilet"],
    GroupNeed.Need.QUIET_ROOM: ["need-quiet-room"],
    GroupNeed.Need.CAPTIONS: ["need-captions"],
}
REPLACED = {GroupNeed.Need.STEP_FREE: ["accessible"]}
ALL_NEED_KEYS = [key for keys in NEED_KEYS.values() for key in keys]

# What a group with no specific needs is asked, in order, for each kind of venue.
PHYSICAL_NO_NEEDS = [
    # being safe
    "easy-to-find",
    "public-transport",
    "safe-time",
    "other-users",
    "private",
    "large-enough",
    "accessible",
    "staffed",
    "culturally-appropriate",
    "specific-needs",
    # feeling safe
    "welcoming",
    "too-clinical",
    "individual-problems",
    "refreshments",
    "safe-area",
    "moment-away",
]
ONLINE_NO_NEEDS = [
    # being safe
    "culturally-appropriate",
    "specific-needs",
    "platform-secure",
    "members-equipped",
    # feeling safe
    "individual-problems",
    "platform-understood",
    "safe-place-to-join",
    "moment-away",
]


def _template_rows(template):
    return list(
        template.questions.order_by("section", "position").values_list(
            "key", "section", "applies_to", "need", "critical", "text", "help_text"
        )
    )


# The default template --------------------------------------------------------------------


def test_default_template_carries_every_toolkit_question_in_its_section(cast):
    template = services.ensure_template(cast.org_a)

    assert template.version == 1
    by_key = {q.key: q for q in template.questions.all()}
    for key in TOOLKIT_BEING_SAFE:
        assert by_key[key].section == "being_safe", key
    for key in TOOLKIT_FEELING_SAFE:
        assert by_key[key].section == "feeling_safe", key
    assert by_key["safe-time"].section == "being_safe"
    assert "daylight" in by_key["safe-time"].help_text
    # each specific need's own questions, and nothing else besides
    for need, keys in NEED_KEYS.items():
        assert sorted(q.key for q in by_key.values() if q.need == need) == sorted(keys)
    assert set(by_key) == {
        *TOOLKIT_BEING_SAFE,
        *TOOLKIT_FEELING_SAFE,
        "safe-time",
        *ALL_NEED_KEYS,
    }
    assert {n.value for n in GroupNeed.Need} == set(NEED_KEYS)
    # platform questions are for platforms; two keep the toolkit's direction, No being safe
    assert by_key["platform-secure"].applies_to == "online"
    assert by_key["platform-secure"].critical is True
    assert by_key["private"].critical is True
    assert by_key["too-clinical"].text == "Does the venue feel too clinical?"
    assert {k for k, q in by_key.items() if q.safe_answer == "no"} == {
        "too-clinical",
        "individual-problems",
    }
    assert by_key["accessible"].not_for_need == GroupNeed.Need.STEP_FREE


def test_every_default_question_asks_one_thing(cast):
    """No second question joined on ("…, and is…", "…, and are…"), and none asked in
    the negative ("Is there no…", "Are peers free of any…")."""
    for question in services.ensure_template(cast.org_a).questions.all():
        text = question.text.lower()
        assert ", and is " not in text and ", and are " not in text, question.text
        assert " no " not in text and "free of any" not in text, question.text


def test_ensure_template_is_made_once_per_organisation(cast):
    first = services.ensure_template(cast.org_a)
    again = services.ensure_template(cast.org_a)
    other = services.ensure_template(cast.org_b)

    assert again == first
    assert Template.objects.filter(organisation=cast.org_a).count() == 1
    assert other.organisation == cast.org_b and other.version == 1
    assert Question.objects.filter(template=first).count() == 27
    assert Question.objects.filter(template=other).count() == 27


# Which questions apply --------------------------------------------------------------------


def test_a_physical_venue_gets_physical_and_both_questions_only(cast, vn, room):
    assessment = services.start_assessment(group=cast.group_a, venue=room, by=cast.facilitator)

    assert vn.keys(assessment) == PHYSICAL_NO_NEEDS
    assert {q.applies_to for q in vn.questions(assessment)} == {"physical", "both"}


def test_an_online_platform_gets_online_and_both_questions_only(cast, vn):
    platform = vn.venue(cast.org_a, "Video calls", kind=Venue.Kind.ONLINE, used_by=[cast.group_a])
    assessment = services.start_assessment(group=cast.group_a, venue=platform, by=cast.facilitator)

    assert vn.keys(assessment) == ONLINE_NO_NEEDS
    assert {q.applies_to for q in vn.questions(assessment)} == {"online", "both"}


@pytest.mark.parametrize("need", list(NEED_KEYS))
def test_a_needs_question_applies_only_to_a_group_with_that_need(cast, vn, room, need):
    platform = vn.venue(cast.org_a, "Video calls", kind=Venue.Kind.ONLINE)
    with_need = cast.group_a
    vn.needs(with_need, need)
    without = Group.objects.create(
        organisation=cast.org_a, name="No needs", slug="no-needs", format="hybrid"
    )
    needing = Question.objects.filter(
        template=services.ensure_template(cast.org_a), need=need
    ).first()

    asked = {}
    for group in (with_need, without):
        for place in (room, platform):
            found = services.start_assessment(group=group, venue=place, by=cast.coordinator)
            asked[group.name, place.kind] = vn.keys(found)

    place_kind = needing.applies_to
    other_kind = "online" if place_kind == "physical" else "physical"
    for key in NEED_KEYS[need]:
        assert key in asked["Group A", place_kind]
        assert key not in asked["Group A", other_kind]
        assert key not in asked["No needs", place_kind]
    # the group's one need adds its own questions on the right kind of venue, in place of
    # any general question they ask more closely
    base = PHYSICAL_NO_NEEDS if place_kind == "physical" else ONLINE_NO_NEEDS
    base = [key for key in base if key not in REPLACED.get(need, [])]
    assert sorted(asked["Group A", place_kind]) == sorted([*base, *NEED_KEYS[need]])
    assert asked["No needs", "physical"] == PHYSICAL_NO_NEEDS
    assert asked["No needs", "online"] == ONLINE_NO_NEEDS


def test_a_hybrid_group_is_asked_the_right_questions_for_its_room_and_its_platform(
    cast, vn, client_for
):
    hybrid = cast.group_a
    Group.objects.filter(pk=hybrid.pk).update(format=Group.Format.HYBRID)
    vn.needs(hybrid, GroupNeed.Need.STEP_FREE, GroupNeed.Need.CAPTIONS)
    room = vn.venue(cast.org_a, "The room", used_by=[hybrid])
    platform = vn.venue(cast.org_a, "The platform", kind=Venue.Kind.ONLINE, used_by=[hybrid])
    client = client_for(cast.facilitator)

    forms = {}
    for place in (room, platform):
        response = client.post(vn.url("start", hybrid.slug, place.uuid))
        assessment = Assessment.objects.get(group=hybrid, venue=place)
        assert response.status_code == 302
        assert response["Location"] == vn.url("assessment", hybrid.slug, assessment.uuid)
        template = assessment.template
        shown = []
        for section in ("being_safe", "feeling_safe"):
            response = client.get(vn.url("section", hybrid.slug, assessment.uuid, section))
            page, words = vn.html(response), vn.text(response)
            for question in template.questions.all():
                if f'name="q{question.pk}"' in page:
                    assert question.text in words
                    shown.append(question.key)
        forms[place.kind] = shown

    step_free = [k for k in PHYSICAL_NO_NEEDS if k != "accessible"]
    assert sorted(forms["physical"]) == sorted(
        [*step_free, "need-step-free", "need-accessible-toilet"]
    )
    assert sorted(forms["online"]) == sorted([*ONLINE_NO_NEEDS, "need-captions"])


# Versions made through the coordinator's pages ---------------------------------------------


def _fields(question, **changes):
    data = {
        "section": question.section,
        "applies_to": question.applies_to,
        "need": question.need,
        "not_for_need": question.not_for_need,
        "text": question.text,
        "help_text": question.help_text,
        "safe_answer": question.safe_answer,
        "base": str(question.template.version),  # the version the form was read in
    }
    if question.critical:
        data["critical"] = "on"
    data.update(changes)
    return data


def _seen(org):
    """What the questions page's Retire form sends: the version it showed."""
    return {"base": str(_current(org).version)}


def _current(org):
    return Template.objects.filter(organisation=org).first()


def _order(template, section):
    return list(
        template.questions.filter(section=section)
        .order_by("position")
        .values_list("key", flat=True)
    )


def test_editing_a_question_makes_a_new_version_and_keeps_the_old_one(cast, vn, client_for):
    v1 = services.ensure_template(cast.org_a)
    before = _template_rows(v1)
    private = v1.questions.get(key="private")
    client = client_for(cast.coordinator)

    response = client.post(
        vn.url("question_edit", cast.org_a.slug, "private"),
        _fields(private, text="Can nobody outside the room overhear the group?"),
        follow=True,
    )

    v2 = _current(cast.org_a)
    assert v2.version == 2 and v2.created_by == cast.coordinator
    assert "The questions are now version 2." in vn.text(response)
    assert "Can nobody outside the room overhear the group?" in vn.text(response)
    assert _template_rows(v1) == before  # version 1 untouched
    after = {row[0]: row for row in _template_rows(v2)}
    assert after["private"][5] == "Can nobody outside the room overhear the group?"
    assert after["private"][4] is True  # still critical
    assert {k: r for k, r in after.items() if k != "private"} == {
        r[0]: r for r in before if r[0] != "private"
    }
    assert _order(v2, "being_safe") == _order(v1, "being_safe")


def test_adding_a_question_makes_a_new_version_with_it_at_the_end_of_its_section(
    cast, vn, client_for
):
    v1 = services.ensure_template(cast.org_a)
    client = client_for(cast.coordinator)

    client.post(
        vn.url("question_add", cast.org_a.slug),
        {
            "section": "feeling_safe",
            "applies_to": "physical",
            "need": "",
            "text": "Is the room warm enough in winter?",
            "help_text": "",
            "safe_answer": "yes",
        },
    )

    v2 = _current(cast.org_a)
    assert v2.version == 2
    added = v2.questions.get(key="custom-28")
    assert (added.text, added.section, added.applies_to, added.critical) == (
        "Is the room warm enough in winter?",
        "feeling_safe",
        "physical",
        False,
    )
    assert _order(v2, "feeling_safe") == [*_order(v1, "feeling_safe"), "custom-28"]
    assert _order(v2, "being_safe") == _order(v1, "being_safe")
    assert v1.questions.count() == 27 and v2.questions.count() == 28


def test_retiring_a_question_makes_a_new_version_without_it(cast, vn, client_for):
    v1 = services.ensure_template(cast.org_a)
    client = client_for(cast.coordinator)

    response = client.post(
        vn.url("question_retire", cast.org_a.slug, "staffed"), _seen(cast.org_a), follow=True
    )

    v2 = _current(cast.org_a)
    assert v2.version == 2
    assert "Question retired." in vn.text(response)
    assert "staffed" not in set(v2.questions.values_list("key", flat=True))
    assert v1.questions.filter(key="staffed").exists()
    assert _order(v2, "being_safe") == [k for k in _order(v1, "being_safe") if k != "staffed"]
    # a retired question can no longer be edited, moved or retired: no new version
    for name in ("question_edit", "question_retire", "question_move"):
        assert client.post(vn.url(name, cast.org_a.slug, "staffed")).status_code == 404
    assert Template.objects.filter(organisation=cast.org_a).count() == 2


def test_moving_a_question_makes_a_new_version_in_the_new_order(cast, vn, client_for):
    v1 = services.ensure_template(cast.org_a)
    client = client_for(cast.coordinator)

    client.post(vn.url("question_move", cast.org_a.slug, "public-transport"), {"direction": "up"})
    client.post(vn.url("question_move", cast.org_a.slug, "welcoming"), {"direction": "down"})

    v3 = _current(cast.org_a)
    assert v3.version == 3
    old_being, old_feeling = _order(v1, "being_safe"), _order(v1, "feeling_safe")
    assert _order(v3, "being_safe") == ["public-transport", "easy-to-find", *old_being[2:]]
    assert _order(v3, "feeling_safe") == ["too-clinical", "welcoming", *old_feeling[2:]]
    assert _order(v1, "being_safe")[:2] == ["easy-to-find", "public-transport"]
    # the list page shows the new order
    page = vn.html(client.get(vn.url("questions", cast.org_a.slug)))
    assert "Version 3." in page
    texts = {q.key: q.text for q in v3.questions.all()}
    assert page.index(texts["public-transport"]) < page.index(texts["easy-to-find"])


def test_past_assessments_keep_their_version_and_new_ones_use_the_newest(
    cast, vn, room, client_for
):
    v1 = services.ensure_template(cast.org_a)
    old_private = v1.questions.get(key="private").text
    staffed_text = v1.questions.get(key="staffed").text
    past = vn.submitted(
        cast.group_a,
        room,
        cast.facilitator,
        values={"private": "partly", "staffed": "no", "welcoming": "no"},
        notes={"staffed": "Nobody on reception after 6pm."},
    )
    stored = (past.being_safe_score, past.feeling_safe_score, past.critical_flag)
    answers_before = list(past.answers.order_by("pk").values_list("question_id", "value", "note"))
    coordinator = client_for(cast.coordinator)

    private = v1.questions.get(key="private")
    coordinator.post(
        vn.url("question_edit", cast.org_a.slug, "private"),
        _fields(private, text="Can nobody outside the room overhear the group?"),
    )
    coordinator.post(
        vn.url("question_add", cast.org_a.slug),
        _fields(private, text="Is there a fire exit route everyone knows?", critical="on"),
    )
    coordinator.post(vn.url("question_retire", cast.org_a.slug, "staffed"), _seen(cast.org_a))
    coordinator.post(vn.url("question_move", cast.org_a.slug, "welcoming"), {"direction": "down"})
    assert _current(cast.org_a).version == 5

    past.refresh_from_db()
    assert past.template == v1
    assert (past.being_safe_score, past.feeling_safe_score, past.critical_flag) == stored
    assert (
        list(past.answers.order_by("pk").values_list("question_id", "value", "note"))
        == answers_before
    )
    page = vn.text(
        client_for(cast.facilitator).get(vn.url("assessment", cast.group_a.slug, past.uuid))
    )
    assert "Questions version 1." in page
    assert old_private in page and staffed_text in page
    assert "Nobody on reception after 6pm." in page
    assert "Can nobody outside the room overhear" not in page
    assert "fire exit" not in page

    response = client_for(cast.facilitator).post(vn.url("start", cast.group_a.slug, room.uuid))
    fresh = Assessment.objects.get(group=cast.group_a, venue=room, submitted_at__isnull=True)
    assert response["Location"] == vn.url("assessment", cast.group_a.slug, fresh.uuid)
    assert fresh.template.version == 5
    keys = vn.keys(fresh)
    assert "staffed" not in keys and "custom-28" in keys
    assert keys.index("too-clinical") < keys.index("welcoming")
    assert vn.question(fresh, "private").text == "Can nobody outside the room overhear the group?"
    page = vn.text(
        client_for(cast.facilitator).get(vn.url("assessment", cast.group_a.slug, fresh.uuid))
    )
    assert "Questions version 5." in page and "fire exit" in page


def test_a_new_question_never_reuses_the_key_of_a_retired_one(cast, vn, room, client_for):
    """Keys match questions across versions (the comparison page relies on it): a question
    added after another was retired must not take over its key and its past answers."""
    services.ensure_template(cast.org_a)
    coordinator = client_for(cast.coordinator)
    add = vn.url("question_add", cast.org_a.slug)
    new = {
        "section": "feeling_safe",
        "applies_to": "physical",
        "need": "",
        "help_text": "",
        "safe_answer": "yes",
    }

    coordinator.post(add, {**new, "text": "Is the room warm enough in winter?"})
    before = vn.submitted(cast.group_a, room, cast.facilitator, values={"custom-28": "no"})
    coordinator.post(vn.url("question_retire", cast.org_a.slug, "custom-28"), _seen(cast.org_a))
    coordinator.post(add, {**new, "text": "Does everyone know the fire exit route?"})
    fire_exit = _current(cast.org_a).questions.get(text="Does everyone know the fire exit route?")
    after = vn.submitted(cast.group_a, room, cast.facilitator)

    assert fire_exit.key != "custom-28"
    assert not Question.objects.filter(key=fire_exit.key, template__version__lt=4).exists()
    page = vn.text(
        client_for(cast.facilitator).get(
            vn.url("compare", room.uuid) + f"?older={before.uuid}&newer={after.uuid}"
        )
    )
    assert "Is the room warm enough in winter? Changed No –" in page
    assert "Does everyone know the fire exit route? Changed – Yes" in page


def test_two_coordinators_editing_one_question_the_later_gets_the_conflict_page(
    cast, vn, client_for
):
    v1 = services.ensure_template(cast.org_a)
    private = v1.questions.get(key="private")
    second = make_user("Cal Coordinator")
    Coordinator.objects.create(organisation=cast.org_a, user=second)
    cal = Client()
    cal.force_login(second)
    cora = client_for(cast.coordinator)
    url = vn.url("question_edit", cast.org_a.slug, "private")
    # Another question changing meanwhile is no conflict: Cal's edit of "private" is based
    # on version 1 and version 2 changed only "staffed".
    staffed = v1.questions.get(key="staffed")
    cora.post(vn.url("question_edit", cast.org_a.slug, "staffed"), _fields(staffed, text="Staff?"))
    assert cal.post(url, _fields(private, text="Can nobody overhear us?")).status_code == 302
    assert _current(cast.org_a).version == 3

    # Cora, still on a page read in version 1, rewords "private" too: refused, shown.
    refused = cora.post(url, _fields(private, text="Is the room private?"))
    assert refused.status_code == 409
    page = vn.html(refused)
    assert "Cal Coordinator changed it on" in page
    assert "Can nobody overhear us?" in page and 'value="Is the room private?"' in page
    assert _current(cast.org_a).version == 3
    assert 'name="base" value="3"' in page
    kept = cora.post(url, {**_fields(private, text="Is the room private?"), "base": "3"})
    assert kept.status_code == 302
    assert _current(cast.org_a).questions.get(key="private").text == "Is the room private?"


def test_retiring_a_question_changed_since_the_page_was_opened_is_refused(cast, vn, client_for):
    v1 = services.ensure_template(cast.org_a)
    private = v1.questions.get(key="private")
    client = client_for(cast.coordinator)
    seen = _seen(cast.org_a)
    # Another question changing is no reason to refuse.
    services.edit_question(
        organisation=cast.org_a,
        by=cast.coordinator,
        key="staffed",
        fields={"text": "Staff on site?"},
    )
    url = vn.url("question_retire", cast.org_a.slug, "private")
    services.edit_question(
        organisation=cast.org_a,
        by=cast.coordinator,
        key="private",
        fields={"text": "Can nobody overhear us?"},
    )
    before = vn.state()

    refused = client.post(url, seen)

    assert refused.status_code == 302
    assert "This question was changed since you opened the page" in vn.messages_of(refused)[0]
    assert vn.state() == before
    # A question unchanged since version 1 is retired from that page without question.
    client.post(vn.url("question_retire", cast.org_a.slug, "welcoming"), seen)
    assert "welcoming" not in set(_current(cast.org_a).questions.values_list("key", flat=True))
    assert client.post(url, _seen(cast.org_a)).status_code == 302
    assert "private" not in set(_current(cast.org_a).questions.values_list("key", flat=True))
    assert private.template == v1
