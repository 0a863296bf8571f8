"""Follow-up that leads somewhere: an action starts from the answer it follows (its
question, answer and note, a priority and a due date that fit), critical actions come
first, and questions kept in the toolkit's direction ("Does the venue feel too
clinical?") count No as the safe answer everywhere."""

from datetime import timedelta

from django.utils import timezone

from venues.models import Action


def _form(client, vn, group, check, key):
    return client.get(vn.url("action_new", group.slug, check.uuid, key))


def test_an_action_starts_from_the_answer_it_follows(cast, vn, room, client_for):
    check = vn.submitted(
        cast.group_a,
        room,
        cast.facilitator,
        values={"private": "no", "staffed": "partly"},
        notes={"private": "The walls are thin."},
    )
    client = client_for(cast.facilitator)
    today = timezone.localdate()

    critical = _form(client, vn, cast.group_a, check, "private").context["form"]
    assert critical["what"].value() == (
        "Is the space private enough that the group cannot be overheard or seen? No. "
        "The walls are thin."
    )
    assert critical["priority"].value() == Action.Priority.CRITICAL
    assert critical["due_on"].value() == today + timedelta(days=7)

    partly = _form(client, vn, cast.group_a, check, "staffed").context["form"]
    assert partly["what"].value() == (
        "Are there staff at the venue who could help if there is a difficulty? Partly."
    )
    assert partly["priority"].value() == Action.Priority.NORMAL
    assert partly["due_on"].value() == today + timedelta(days=90)


def test_the_priority_chosen_is_kept_and_left_out_it_is_the_answers(cast, vn, room, client_for):
    check = vn.submitted(cast.group_a, room, cast.facilitator, values={"safe-time": "no"})
    client = client_for(cast.facilitator)
    url = vn.url("action_new", cast.group_a.slug, check.uuid, "safe-time")
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"what": "Ask about a later bus.", "owner": cast.facilitator.pk, "due_on": due}

    client.post(url, data)
    client.post(url, {**data, "what": "Walk together to the stop.", "priority": "1"})

    assert dict(Action.objects.values_list("what", "priority")) == {
        "Ask about a later bus.": Action.Priority.HIGH,  # an unsafe answer, not critical
        "Walk together to the stop.": Action.Priority.CRITICAL,
    }


def test_critical_actions_come_first_then_by_due_date(cast, vn, room, client_for):
    check = vn.submitted(
        cast.group_a, room, cast.facilitator, values={"private": "no", "staffed": "partly"}
    )
    today = timezone.localdate()
    vn.action(check, "staffed", cast.facilitator, what="Soonest", due_on=today)
    vn.action(check, "private", cast.facilitator, what="Critical", due_on=today + timedelta(20))

    page = vn.text(client_for(cast.facilitator).get(vn.url("group", cast.group_a.slug)))
    assert page.index("Critical Critical ·") < page.index("Soonest")


def test_where_no_is_safe_yes_is_what_needs_attention(cast, vn, room, client_for):
    check = vn.submitted(cast.group_a, room, cast.facilitator, values={"too-clinical": "yes"})
    client = client_for(cast.facilitator)

    page = vn.text(client.get(vn.url("assessment", cast.group_a.slug, check.uuid)))
    assert "Answers that need attention Does the venue feel too clinical? Yes" in page
    assert _form(client, vn, cast.group_a, check, "too-clinical").status_code == 200
    # the safe No of another check is no follow-up at all
    assert check.feeling_safe_score < 100
    calm = vn.submitted(cast.group_a, room, cast.facilitator)
    assert calm.feeling_safe_score == 100
    response = client.post(
        vn.url("action_new", cast.group_a.slug, calm.uuid, "too-clinical"),
        {"what": "x", "owner": cast.facilitator.pk, "due_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Only an unsafe or Partly answer can become an action." in vn.messages_of(response)
    assert not Action.objects.exists()


def test_the_flag_names_each_critical_question(cast, vn, room, client_for):
    platform_check = vn.submitted(
        cast.group_a, room, cast.facilitator, values={"private": "no", "staffed": "no"}
    )
    page = vn.text(
        client_for(cast.coordinator).get(
            vn.url("assessment", cast.group_a.slug, platform_check.uuid)
        )
    )
    flag = page[page.index("Flag:") : page.index("Being safe")]
    assert "Is the space private enough that the group cannot be overheard or seen?" in flag
    assert "staff" not in flag  # not critical
