"""Each answer of a venue check is saved as it is given (htmx), and the page says so.

The section's page gives each question a block that posts its answer and note to
venues:answer; the answer is the words to show beside it ("Saved", or why not) and an
X-Answer header that static/safespace/answers.js trusts (a sign-in page after a lapsed
session has none). Without htmx the same URL saves and goes back to the section, and
the section's Save button still saves the whole section.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from groups.conflicts import stamp_of
from tests.builders import submit_data
from venues.models import Answer

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def facilitator(cast, client_for):
    return client_for(cast.facilitator)


@pytest.fixture
def check(cast, vn, room, facilitator):
    facilitator.post(vn.url("start", cast.group_a.slug, room.uuid))
    return cast.group_a.assessments.get()


def _answer(client, vn, cast, check, key, value="", note="", **extra):
    question = vn.question(check, key)
    stored = check.answers.filter(question=question).first()
    data = {
        f"q{question.pk}": value,
        f"q{question.pk}_note": note,
        f"q{question.pk}_base": stamp_of(stored) if stored else "",  # what the page showed
    }
    return client.post(vn.url("answer", cast.group_a.slug, check.uuid, key), data, **extra)


def _stored(check):
    return {a.question.key: (a.value, a.note) for a in check.answers.select_related("question")}


def test_an_answer_and_its_note_are_saved_as_given_and_the_answer_says_so(
    cast, vn, check, facilitator
):
    response = _answer(facilitator, vn, cast, check, "private", "no", "Glass door.", **HTMX)

    assert response.status_code == 200
    assert response["X-Answer"] == "saved"
    assert vn.html(response).split("<input")[0].strip() == "Saved"
    assert _stored(check) == {"private": ("no", "Glass door.")}

    # Changed: the same answer is updated, not added.
    response = _answer(facilitator, vn, cast, check, "private", "partly", "", **HTMX)
    assert response["X-Answer"] == "saved"
    assert _stored(check) == {"private": ("partly", "")}


@pytest.mark.parametrize(
    ("value", "note", "reason"),
    [
        ("", "A note alone.", "Choose an answer to go with your note."),
        ("", "", "Choose an answer first."),
        ("maybe", "", "Select a valid choice."),
        ("yes", "x" * 501, "Ensure this value has at most 500 characters"),
    ],
)
def test_an_answer_that_cannot_be_stored_says_why_and_stores_nothing(
    cast, vn, check, facilitator, value, note, reason
):
    before = vn.state()

    response = _answer(facilitator, vn, cast, check, "private", value, note, **HTMX)

    assert response.status_code == 200
    assert response["X-Answer"] == "refused"
    assert vn.text(response).startswith("Not saved.")
    assert reason in vn.text(response)
    assert vn.state() == before


def test_an_answer_to_a_submitted_check_is_refused(cast, vn, room, facilitator):
    done = vn.submitted(cast.group_a, room, cast.facilitator)
    before = vn.state()

    response = _answer(facilitator, vn, cast, done, "private", "no", **HTMX)

    assert response["X-Answer"] == "refused"
    assert "This assessment has already been submitted, so it can't change." in vn.text(response)
    assert vn.state() == before


def test_only_the_checks_own_questions_can_be_answered(cast, vn, check, facilitator):
    # "captions" is asked only of groups that need captions (group A does not): not here.
    for key in ("captions", "no-such-question"):
        before = vn.state()
        response = facilitator.post(
            vn.url("answer", cast.group_a.slug, check.uuid, key), {"value": "yes"}, **HTMX
        )
        assert response.status_code == 404
        assert vn.state() == before


def test_without_htmx_an_answer_is_saved_and_the_section_shown_again(cast, vn, check, facilitator):
    response = _answer(facilitator, vn, cast, check, "safe-time", "yes", "Until 10pm.")

    section = vn.url("section", cast.group_a.slug, check.uuid, "being_safe")
    assert response["Location"] == f"{section}#answer-safe-time"
    assert vn.messages_of(response) == ["Saved."]
    assert _stored(check) == {"safe-time": ("yes", "Until 10pm.")}

    response = _answer(facilitator, vn, cast, check, "safe-time", "", "Only a note.")
    assert vn.messages_of(response)[-1] == "Not saved. Choose an answer to go with your note."
    assert _stored(check) == {"safe-time": ("yes", "Until 10pm.")}


def test_the_section_page_saves_as_you_go_under_the_strict_policy(cast, vn, check, facilitator):
    vn.answer(check, only=["easy-to-find"])

    response = facilitator.get(vn.url("section", cast.group_a.slug, check.uuid, "being_safe"))

    page = vn.html(response)
    blocks = re.findall(r'<div class="answer-block" id="answer-([\w-]+)"[^>]*>', page, re.S)
    being_safe = [q.key for q in vn.questions(check) if q.section == "being_safe"]
    assert blocks == being_safe
    for key in being_safe:
        question = vn.question(check, key)
        url = vn.url("answer", cast.group_a.slug, check.uuid, key)
        assert f'hx-post="{url}"' in page
        assert f'hx-params="q{question.pk},q{question.pk}_note,q{question.pk}_base"' in page
    # "Saved" beside the stored answer only.
    assert page.count('data-state="saved">Saved</p>') == 1
    assert re.search(r'id="answer-easy-to-find".*?data-state="saved">Saved</p>', page, re.S)
    # htmx from our origin, configured without eval or inline styles; no inline script.
    assert '<script src="/static/htmx/htmx.min.js" defer></script>' in page
    assert '<script src="/static/safespace/answers.js" defer></script>' in page
    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']*)'", page)[1])
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False
    assert config["historyCacheSize"] == 0 and config["allowScriptTags"] is False
    assert not re.search(r"<script(?![^>]*\ssrc=)", page)
    assert " style=" not in page and "<style" not in page and " hx-on" not in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe" not in policy
    # The CSRF token travels in a header for htmx, and in the form for the Save button.
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "(\w+)"\}\'', page)[1]
    assert f'name="csrfmiddlewaretoken" value="{token}"' in page


def test_htmx_is_the_vendored_release_the_readme_names():
    folder = Path(settings.BASE_DIR) / "static" / "htmx"
    source = (folder / "htmx.min.js").read_text()
    version = re.search(r'version:"([\d.]+)"', source)[1]
    assert f"# htmx {version}" in (folder / "README.md").read_text()
    assert "Zero-Clause BSD" in (folder / "LICENSE").read_text()
    # With allowEval off it never evaluates strings: the only eval paths are behind it.
    assert source.count("allowEval") == 2


def test_answers_saved_as_given_are_what_the_section_shows_and_scores(cast, vn, check, facilitator):
    for key in [q.key for q in vn.questions(check)]:
        _answer(facilitator, vn, cast, check, key, "yes", **HTMX)
    _answer(facilitator, vn, cast, check, "private", "no", "Thin walls.", **HTMX)

    facilitator.post(vn.url("submit", cast.group_a.slug, check.uuid), submit_data(check))

    check.refresh_from_db()
    assert check.critical_flag is True
    assert Answer.objects.filter(assessment=check).count() == len(vn.questions(check))
