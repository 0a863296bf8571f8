"""Filling in a venue check through the pages: start, save section by section, submit."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from groups.models import GroupNeed, Membership
from tests.builders import add_member, make_user, submit_data
from venues import scoring, selectors, services
from venues.forms import SectionForm
from venues.models import NOTE_LIMIT, Answer, Assessment, Question

# A physical venue, group with no specific needs: 10 "being safe" and 6 "feeling safe".
MIXED = {
    "easy-to-find": "yes",
    "public-transport": "partly",
    "safe-time": "no",
    "other-users": "na",
    "private": "no",  # critical
    "large-enough": "dont_know",
    "accessible": "yes",
    "staffed": "yes",
    "culturally-appropriate": "yes",
    "specific-needs": "partly",
    "welcoming": "yes",
    "too-clinical": "partly",
    "individual-problems": "no",
    "refreshments": "na",
    "safe-area": "yes",
    "moment-away": "dont_know",
}
NOTES = {
    "private": "The walls are thin: the next room can hear us.",
    "safe-time": "The last bus leaves at 8.",
}


def checked(page):
    """{field name: value} of the radio buttons shown as chosen."""
    return dict(re.findall(r'name="(q\d+)" value="(\w+)"\s+id="[^"]*" checked', page))


def base_on_page(page, question):
    """The stamp the section page carries for a question's stored answer."""
    return re.search(rf'name="q{question.pk}_base" value="([^"]*)"', page).group(1)


def note_values(page):
    return dict(re.findall(r'name="(q\d+)_note" value="([^"]*)"', page))


@pytest.fixture
def facilitator(cast, client_for):
    return client_for(cast.facilitator)


def _start(client, vn, group, venue):
    return client.post(vn.url("start", group.slug, venue.uuid))


# Starting ------------------------------------------------------------------------------------


def test_starting_creates_one_check_and_starting_again_resumes_it(cast, vn, room, facilitator):
    page = vn.text(facilitator.get(vn.url("group", cast.group_a.slug)))
    assert "Start a venue check" in page and "Not checked yet." in page

    first = _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    again = _start(facilitator, vn, cast.group_a, room)

    assert Assessment.objects.count() == 1
    target = vn.url("assessment", cast.group_a.slug, assessment.uuid)
    assert first["Location"] == again["Location"] == target
    assert (assessment.group, assessment.venue, assessment.started_by) == (
        cast.group_a,
        room,
        cast.facilitator,
    )
    assert assessment.submitted_at is None and assessment.template.version == 1
    page = vn.text(facilitator.get(vn.url("group", cast.group_a.slug)))
    assert "Carry on with the check" in page and "Start a venue check" not in page
    page = vn.text(facilitator.get(target))
    assert "In progress: your answers are saved as you go." in page
    assert "0 of 10 answered" in page and "0 of 6 answered" in page


def test_starting_is_a_post_only(cast, vn, room, facilitator):
    response = facilitator.get(vn.url("start", cast.group_a.slug, room.uuid))

    assert response.status_code == 405
    assert not Assessment.objects.exists()


def test_a_coordinator_can_start_and_resume_the_groups_check_too(cast, vn, room, client_for):
    facilitators = _start(client_for(cast.facilitator), vn, cast.group_a, room)
    coordinators = _start(client_for(cast.coordinator), vn, cast.group_a, room)

    assert facilitators["Location"] == coordinators["Location"]
    assert Assessment.objects.get().started_by == cast.facilitator


def test_a_venue_the_group_does_not_use_cannot_be_assessed(cast, vn, room, facilitator):
    unused = vn.venue(cast.org_a, "Not ours")

    response = _start(facilitator, vn, cast.group_a, unused)

    assert response.status_code == 404
    assert not Assessment.objects.exists()


# Saving sections -------------------------------------------------------------------------------


def test_saving_a_section_stores_answers_and_notes_and_they_are_shown_on_return(
    cast, vn, room, facilitator
):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    being = vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe")
    feeling = vn.url("section", cast.group_a.slug, assessment.uuid, "feeling_safe")

    response = facilitator.post(
        being,
        {**vn.section_data(assessment, "being_safe", MIXED, notes=NOTES), "next": "1"},
    )

    assert response.status_code == 302 and response["Location"] == feeling
    assert "Saved. You can stop here and come back later." in vn.messages_of(response)
    stored = {
        a.question.key: (a.value, a.note)
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }
    being_keys = [q.key for q in vn.questions(assessment) if q.section == "being_safe"]
    assert stored == {key: (MIXED[key], NOTES.get(key, "")) for key in being_keys}

    # Leave, come back: the answers and notes are there, ready to change.
    page = vn.html(facilitator.get(being))
    by_pk = {f"q{q.pk}": q.key for q in vn.questions(assessment)}
    assert {by_pk[name]: value for name, value in checked(page).items()} == {
        key: MIXED[key] for key in being_keys
    }
    notes = {by_pk[name]: value for name, value in note_values(page).items()}
    assert notes == {
        "private": "The walls are thin: the next room can hear us.",
        "safe-time": "The last bus leaves at 8.",
    }
    summary = vn.text(facilitator.get(vn.url("assessment", cast.group_a.slug, assessment.uuid)))
    assert "10 of 10 answered" in summary and "0 of 6 answered" in summary
    assert "The walls are thin: the next room can hear us." in summary
    assert "Every question answered. Change answers in “Being safe”" in summary
    assert "Carry on with “Being safe”" not in summary and "Answer “Feeling safe”" in summary

    # Changing an answer and clearing its note updates the same row.
    private = vn.question(assessment, "private")
    facilitator.post(
        being,
        {
            f"q{private.pk}": "partly",
            f"q{private.pk}_note": "",
            f"q{private.pk}_base": base_on_page(page, private),
        },
    )
    changed = Answer.objects.get(assessment=assessment, question=private)
    assert (changed.value, changed.note) == ("partly", "")
    assert Answer.objects.filter(assessment=assessment).count() == 10

    # The last section goes back to the summary.
    response = facilitator.post(feeling, vn.section_data(assessment, "feeling_safe", MIXED))
    assert response["Location"] == vn.url("assessment", cast.group_a.slug, assessment.uuid)
    assert Answer.objects.filter(assessment=assessment).count() == 16


def test_a_note_longer_than_the_limit_is_refused_and_nothing_is_saved(cast, vn, room, facilitator):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    data = vn.section_data(assessment, "being_safe", notes={"private": "x" * 501})

    response = facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"), data
    )

    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters" in vn.text(response)
    assert not Answer.objects.exists()


def test_an_unknown_section_is_not_found(cast, vn, room, facilitator):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()

    response = facilitator.get(vn.url("section", cast.group_a.slug, assessment.uuid, "other"))

    assert response.status_code == 404


# Submitting -------------------------------------------------------------------------------------


def test_submitting_with_unanswered_questions_is_refused_with_a_message(
    cast, vn, room, facilitator
):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"),
        vn.section_data(assessment, "being_safe", MIXED),
    )
    before = vn.state()

    response = facilitator.post(
        vn.url("submit", cast.group_a.slug, assessment.uuid), submit_data(assessment), follow=True
    )

    assert "6 questions still need an answer. “Don't know” is a fine answer." in vn.text(response)
    assert vn.state() == before
    assessment.refresh_from_db()
    assert assessment.submitted_at is None and assessment.being_safe_score is None


def test_submitting_stores_the_scores_computed_from_the_stored_answers(cast, vn, room, facilitator):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    for section in ("being_safe", "feeling_safe"):
        facilitator.post(
            vn.url("section", cast.group_a.slug, assessment.uuid, section),
            vn.section_data(assessment, section, MIXED, notes=NOTES),
        )

    response = facilitator.post(
        vn.url("submit", cast.group_a.slug, assessment.uuid), submit_data(assessment), follow=True
    )

    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert assessment.submitted_by == cast.facilitator
    stored = dict(assessment.answers.values_list("question_id", "value"))
    expected = scoring.score(vn.questions(assessment), stored)
    assert assessment.being_safe_score == expected.sections["being_safe"].score
    assert assessment.feeling_safe_score == expected.sections["feeling_safe"].score
    assert assessment.critical_flag is expected.critical_flag is True
    # by hand: being safe (1 + .5 + 0 + 0 + 1 + 1 + 1 + .5) / 8, feeling safe 3.5 / 4
    assert (assessment.being_safe_score, assessment.feeling_safe_score) == (
        Decimal("62.5"),
        Decimal("87.5"),
    )
    page = vn.text(response)
    assert "The assessment has been submitted." in page
    assert "62.5%" in page and "87.5%" in page
    assert (
        "Flag: a critical question has an unsafe answer. The venue needs attention before the "
        "group meets there again. Is the space private enough that the group cannot be "
        "overheard or seen?"
    ) in page
    assert "1 “don't know” (a gap)" in page
    assert "Submit the check" not in page


def test_a_critical_partly_or_a_no_to_an_ordinary_question_does_not_flag(cast, vn, room):
    assessment = vn.submitted(
        cast.group_a, room, cast.facilitator, values={"private": "partly", "safe-time": "no"}
    )

    assert assessment.critical_flag is False
    assert assessment.being_safe_score == Decimal("85.0")  # 8.5 / 10
    assert assessment.feeling_safe_score == Decimal("100.0")


def test_a_critical_no_in_a_needs_question_flags_the_venue(cast, vn, room):
    vn.needs(cast.group_a, GroupNeed.Need.ALCOHOL_FREE)

    assessment = vn.submitted(
        cast.group_a, room, cast.facilitator, values={"need-alcohol-free": "no"}
    )

    assert assessment.critical_flag is True
    assert assessment.being_safe_score == Decimal("91.7")  # 11 / 12: the need adds two questions


def test_submitting_twice_is_refused_and_changes_nothing(cast, vn, room, facilitator):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    vn.answer(assessment, values=MIXED)
    facilitator.post(vn.url("submit", cast.group_a.slug, assessment.uuid), submit_data(assessment))
    before = vn.state()

    response = facilitator.post(
        vn.url("submit", cast.group_a.slug, assessment.uuid), submit_data(assessment), follow=True
    )

    assert "This assessment has already been submitted, so it can't change." in vn.text(response)
    assert vn.state() == before
    # and its answers can no longer be changed either
    private = vn.question(assessment, "private")
    response = facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"),
        {f"q{private.pk}": "yes", f"q{private.pk}_note": "Fixed"},
        follow=True,
    )
    assert "This assessment has been submitted, so it can't change." in vn.text(response)
    assert vn.state() == before
    with pytest.raises(services.VenueError):
        services.save_answers(assessment=assessment, answers={private.pk: ("yes", "")})
    assert vn.state() == before


def test_after_submitting_starting_again_makes_a_new_check(cast, vn, room, facilitator):
    first = vn.submitted(cast.group_a, room, cast.facilitator)

    response = _start(facilitator, vn, cast.group_a, room)

    second = Assessment.objects.exclude(pk=first.pk).get()
    assert response["Location"] == vn.url("assessment", cast.group_a.slug, second.uuid)
    assert second.submitted_at is None and not second.answers.exists()


# Questions that are not part of the assessment -----------------------------------------------


def test_an_answer_for_another_organisations_question_is_refused(cast, vn, room, facilitator):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    foreign = Question.objects.get(template=services.ensure_template(cast.org_b), key="private")
    own = vn.question(assessment, "staffed")
    before = vn.state()

    # Through the page: the form only knows the assessment's own questions.
    facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"),
        {f"q{foreign.pk}": "no", f"q{foreign.pk}_note": "Sneaked in"},
    )
    assert vn.state() == before
    # Through the service: refused as a whole, the valid answer beside it is not saved.
    with pytest.raises(services.VenueError, match="not part of this assessment"):
        services.save_answers(
            assessment=assessment,
            answers={foreign.pk: ("no", "Sneaked in"), own.pk: ("yes", "")},
        )
    assert vn.state() == before
    assert not Answer.objects.filter(question=foreign).exists()


def test_an_answer_for_a_needs_question_the_group_does_not_have_is_refused(
    cast, vn, room, facilitator
):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    women_only = assessment.template.questions.get(key="need-women-only")
    online_only = assessment.template.questions.get(key="platform-secure")
    before = vn.state()

    facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"),
        {f"q{women_only.pk}": "no", f"q{online_only.pk}": "no"},
    )
    assert vn.state() == before
    for question in (women_only, online_only):
        with pytest.raises(services.VenueError):
            services.save_answers(assessment=assessment, answers={question.pk: ("no", "")})
    assert vn.state() == before


# Another group's assessment ---------------------------------------------------------------------


def test_group_bs_assessment_cannot_be_reached_or_changed_from_group_as_urls(
    cast, vn, room, other_room, client_for
):
    facilitator_b = make_user("Finn Facilitator", "facilitator@b.test")
    add_member(cast.group_b, facilitator_b, Membership.Role.FACILITATOR)
    theirs = services.start_assessment(group=cast.group_b, venue=other_room, by=facilitator_b)
    vn.answer(theirs, "yes", only={"private"})
    private = vn.question(theirs, "private")
    before = vn.state()
    slug = cast.group_a.slug

    for user in (cast.facilitator, cast.coordinator):
        client = client_for(user)
        gets = [
            vn.url("assessment", slug, theirs.uuid),
            vn.url("print", slug, theirs.uuid),
            vn.url("section", slug, theirs.uuid, "being_safe"),
            vn.url("action_new", slug, theirs.uuid, "private"),
        ]
        for url in gets:
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert "Elsewhere Hall" not in vn.html(response)
        posts = {
            vn.url("section", slug, theirs.uuid, "being_safe"): {f"q{private.pk}": "no"},
            vn.url("submit", slug, theirs.uuid): {},
            vn.url("action_new", slug, theirs.uuid, "private"): {
                "what": "x",
                "owner": user.pk,
                "due_on": "2030-01-01",
            },
            vn.url("start", slug, other_room.uuid): {},
        }
        for url, data in posts.items():
            assert client.post(url, data).status_code == 404, (user, url)
        # and group B's own URLs do not exist for them either
        assert client.get(vn.url("assessment", cast.group_b.slug, theirs.uuid)).status_code == 404
    assert vn.state() == before


def test_a_note_without_an_answer_is_not_dropped_silently(cast, vn, room, facilitator):
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    question = next(q for q in selectors.questions_for(assessment) if q.section == "being_safe")
    response = facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"),
        {f"q{question.pk}_note": "The side door was locked."},
    )
    assert response.status_code == 200
    assert "Choose an answer to go with your note." in vn.text(response)
    assert not assessment.answers.exists()
    # The error is the question's: read out with it, above its answers, which are marked
    # invalid, and the note is still there to save.
    html = response.content.decode()
    name = f"q{question.pk}"
    fieldset = re.search(
        rf'<fieldset aria-describedby="([^"]*)">\s*<legend[^>]*>[^<]*'
        rf"{re.escape(question.text)}.*?</fieldset>",
        html,
        re.S,
    )
    assert fieldset is not None
    assert f"id_{name}_error" in fieldset.group(1).split()
    block = fieldset.group(0)
    assert block.index(f'id="id_{name}_error"') < block.index(f'name="{name}"')
    assert block.count('aria-invalid="true"') == block.count(f'name="{name}"') == 5
    assert 'value="The side door was locked."' in html


def test_a_sections_notes_are_written_as_the_form_library_would(cast, vn, room, facilitator):
    """The section writes each note's box itself (the form library's templates were a fifth
    of the page's time): the same box, empty, holding what was typed, and refused."""
    _start(facilitator, vn, cast.group_a, room)
    assessment = Assessment.objects.get()
    first, second, third = [
        q for q in selectors.questions_for(assessment) if q.section == "being_safe"
    ][:3]
    data = {
        f"q{first.pk}": "yes",
        f"q{first.pk}_note": 'A "quiet" room <upstairs> & a lift',
        f"q{second.pk}": "no",
        f"q{second.pk}_note": "x" * (NOTE_LIMIT + 1),
    }
    response = facilitator.post(
        vn.url("section", cast.group_a.slug, assessment.uuid, "being_safe"), data
    )
    assert response.status_code == 200  # refused: the second note is too long
    html = response.content.decode()
    questions = [q for q in selectors.questions_for(assessment) if q.section == "being_safe"]
    form = SectionForm(data, questions=questions, answers={})
    assert not form.is_valid()
    library = Template(
        '{% load crispy_forms_field %}{% if f.errors %}{% crispy_field f "class" '
        '"form-control is-invalid" %}{% else %}{% crispy_field f "class" "form-control" %}'
        "{% endif %}"
    )
    for question in (first, second, third):
        field = form[f"q{question.pk}_note"]
        written = re.search(rf'<input type="text" name="{field.html_name}"[^>]*>', html)
        assert written is not None
        assert written.group(0) == library.render(Context({"f": field})).strip()
    assert f'aria-describedby="id_q{second.pk}_note_error"' in html
    assert "&quot;quiet&quot; room &lt;upstairs&gt; &amp; a lift" in html
    assert not assessment.answers.exists()
