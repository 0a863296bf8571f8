"""Builders and page readers for the dashboard, trends, home and CSV tests: one fixture, `ss`.

Builders go through the service layer (on-commit emails do not fire in set-up),
then back-date rows with queryset `.update()` where a test needs a fact to lie
in a given past month: `ss.at(day)` is noon, local time, on that day.

`ss.table(html)` reads the rows of the first table of the page (or of a part
of it) as lists of cell texts; `ss.dashboard_rows(response)` maps each group's
name on the dashboard to its cells, so a test can assert every figure.
"""

import re
from datetime import date, datetime, time, timedelta
from html import unescape
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from groundrules import services as rule_reviews
from groundrules import services as rules
from groundrules.models import Agreement, Category, Review, Rulebook, Version
from groups.dates import add_months, quarter
from groups.models import Group, Membership
from tests.factories import add_member, make_group, make_organisation, make_user
from venues import services as venues
from venues.models import Action, Answer, Assessment, FeedbackResponse, Venue, VenueUse

LINK = "https://safespace.test/link/"

# A physical venue, for a group with no specific needs, gets 10 default questions about
# being safe (one of them, "private", critical) and 6 about feeling safe: so No to
# "private", Partly to "staffed" and Yes to the rest is 85% being safe; No to "welcoming",
# N/A to "refreshments" and Yes to the rest is 80% feeling safe.


# Dates -----------------------------------------------------------------------


def today():
    return timezone.localdate()


def at(day: date, hour=12) -> datetime:
    """An aware datetime at `hour` o'clock, local time, on `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def month_start(months_ago: int) -> date:
    """The first day of the month `months_ago` months before this one."""
    now = today()
    return add_months(date(now.year, now.month, 1), -months_ago)


def in_month(months_ago: int, day: int) -> date:
    return month_start(months_ago).replace(day=day)


def short(day: date) -> str:
    """How the dashboard writes a date: 5 Mar 2026."""
    return dateformat.format(day, "j M Y")


def long(day: date) -> str:
    """How the home and safety pages write a date: 5 March 2026."""
    return dateformat.format(day, "j F Y")


# People and groups -------------------------------------------------------------


def group(organisation, name, *, facilitators=(), peers=(), **fields):
    made = make_group(organisation, name, **fields)
    for user in facilitators:
        add_member(made, user, Membership.Role.FACILITATOR)
    for user in peers:
        add_member(made, user)
    return made


def people(*names):
    return [make_user(name) for name in names]


def leave(group, user, when=None):
    Membership.objects.filter(group=group, user=user, left_at__isnull=True).update(
        left_at=when or timezone.now(), ending=Membership.Ending.LEFT
    )


def joined(group, user, when):
    Membership.objects.filter(group=group, user=user).update(joined_at=when)


# Ground rules ------------------------------------------------------------------


def draft(group, by, texts=("Keep what is said here in the room.",)):
    version = rules.start_draft(group=group, by=by)
    version.rules.all().delete()
    for text in texts:
        rules.add_rule(
            version=version,
            fields={"text": text, "why": "", "category": Category.OTHER, "if_broken": ""},
        )
    return version


def put_to_group(group, by, texts=("Keep what is said here in the room.",)):
    return rules.open_round(version=draft(group, by, texts), by=by, link=LINK)


def answer(version, user, value="agree", comment=""):
    if value == "talk" and not comment:
        comment = "Can we talk about the first rule?"
    return rules.record_agreement(
        version=version,
        user=user,
        answer=value,
        comment=comment,
        visibility="facilitators",
        seen_hash=version.content_hash,
    )


def adopt(group, by, agreeing=(), texts=("Keep what is said here in the room.",), when=None):
    """Put a version to the group, record `agreeing`'s answers and adopt it (at `when`)."""
    version = put_to_group(group, by, texts)
    for user in agreeing:
        answer(version, user)
    version = rules.adopt_version(
        version=version, by=by, outcome="Agreed at the meeting.", link=LINK
    )
    if when is not None:
        Version.objects.filter(pk=version.pk).update(closed_at=when)
        version.refresh_from_db()
    return version


def agreed_at(version, user, when):
    Agreement.objects.filter(version=version, user=user).update(updated=when)


def review(group, version, held_on):
    return Review.objects.create(
        group=group,
        version=version,
        held_on=held_on,
        participants=3,
        outcome=Review.Outcome.NO_CHANGE,
    )


def review_every(group, months):
    Rulebook.objects.update_or_create(group=group, defaults={"review_every_months": months})


def breach(group, by, occurred_on):
    return rule_reviews.record_breach(
        group=group,
        by=by,
        occurred_on=occurred_on,
        rules=[],
        what_happened="Someone shared another member's story outside the group.",
        response_taken="A quiet word after the meeting.",
        follow_up="",
        not_working=False,
    )


def propose(group, by, text="Phones on silent."):
    return rules.propose(
        group=group,
        by=by,
        kind="add",
        fields={"text": text, "why": "", "category": Category.PHONES, "if_broken": ""},
        reason="It keeps us focused.",
    )


# Venues ------------------------------------------------------------------------


def venue(organisation, name, used_by=(), kind=Venue.Kind.PHYSICAL):
    made = Venue.objects.create(
        organisation=organisation,
        kind=kind,
        name=name,
        address=f"{name}, 1 High Street" if kind == Venue.Kind.PHYSICAL else "",
    )
    for g in used_by:
        VenueUse.objects.create(venue=made, group=g)
    return made


def assess(group, venue_, by, values=None, when=None):
    """A submitted assessment: Yes to every question unless `values` says otherwise."""
    values = values or {}
    assessment = venues.start_assessment(group=group, venue=venue_, by=by)
    questions = venues.questions_for(assessment)
    venues.save_answers(
        assessment=assessment,
        answers={q.pk: (values.get(q.key, "yes"), "") for q in questions},
    )
    venues.submit_assessment(assessment=assessment, by=by)
    if when is not None:
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    assessment.refresh_from_db()
    return assessment


def action(assessment, key, by, owner=None, due_on=None, what=None, created=None):
    """An open action on the assessment's answer to `key` (which must be No or Partly)."""
    made = venues.create_action(
        answer=Answer.objects.get(assessment=assessment, question__key=key),
        by=by,
        what=what or f"Follow up {key}",
        owner=owner or by,
        due_on=due_on or today() + timedelta(days=30),
        link=LINK,
    )
    if created is not None:
        Action.objects.filter(pk=made.pk).update(created=created)
    return made


def close(action_, when=None):
    closed = venues.close_action(action=action_, status=Action.Status.DONE, note="Done.")
    if when is not None:
        Action.objects.filter(pk=closed.pk).update(closed_at=when)
    return closed


def feedback(group, venue_, count, score=4, period=None):
    """`count` anonymous answers, every question scored `score`, this quarter by default."""
    for _ in range(count):
        FeedbackResponse.objects.create(
            group=group,
            venue=venue_,
            period=period or quarter(today()),
            answered_on=today(),
            welcome=score,
            physically_safe=score,
            safe_to_talk=score,
            time_out=score,
            comfortable_with_others=score,
        )


# Reading pages -----------------------------------------------------------------


def squeeze(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


class _Tables(HTMLParser):
    """Rows of every table: each row a list of cells, each cell its text and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = []
        self.in_cell = False
        self.link = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "body": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["body"].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]["body"]:
            self.tables[-1]["body"][-1].append({"text": "", "links": []})
            self.in_cell = True
        elif tag == "a" and self.in_cell:
            self.link = {"href": dict(attrs).get("href", ""), "text": ""}
        if self.in_cell and tag in ("span", "li", "br", "strong", "a"):
            self._add(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            cell = self.tables[-1]["body"][-1][-1]
            cell["text"] = squeeze(cell["text"])
            self.in_cell = False
        elif tag == "a" and self.link is not None:
            self.link["text"] = squeeze(self.link["text"])
            self.tables[-1]["body"][-1][-1]["links"].append(self.link)
            self.link = None
        elif tag in ("span", "li", "strong") and self.in_cell:
            self._add(" ")

    def handle_data(self, data):
        if self.in_cell:
            self._add(data)
            if self.link is not None:
                self.link["text"] += data

    def _add(self, text):
        self.tables[-1]["body"][-1][-1]["text"] += text


def tables(html: str):
    """Every table of the page: a list of rows, each a list of cells ({text, links})."""
    parser = _Tables()
    parser.feed(html)
    return [[row for row in t["body"] if row] for t in parser.tables]


def table_texts(html: str, index=0):
    """The rows of the page's `index`th table as lists of cell texts, header row included."""
    return [[cell["text"] for cell in row] for row in tables(html)[index]]


def dashboard_rows(response):
    """{group name: [format, members, rules, review, being, feeling, peers, actions,
    breaches, needs attention]} from the dashboard table, in page order."""
    rows = {}
    for row in tables(response.content.decode())[0][1:]:
        head = row[0]
        if not head["links"]:  # "No groups match."
            continue
        rows[head["links"][0]["text"]] = [cell["text"] for cell in row[1:]]
    return rows


def row_order(response):
    """Group names in the order the dashboard lists them."""
    return list(dashboard_rows(response))


def text(response) -> str:
    """The page's visible text, tags stripped and whitespace squeezed."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return visible(html)


def visible(html: str) -> str:
    """Text of some HTML: tags become spaces, without spaces before punctuation."""
    words = squeeze(unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r"\( ", "(", re.sub(r" ([,.:;)])", r"\1", words))


def section(response, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id` (home page groups, trends)."""
    html = response.content.decode()
    match = re.search(
        rf'<section aria-labelledby="{re.escape(heading_id)}".*?</section>', html, flags=re.S
    )
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


def section_text(response, heading_id: str) -> str:
    return visible(section(response, heading_id))


def url(name, *args):
    return reverse(name, args=args)


@pytest.fixture
def north(db):
    """Northside: one group in each state the dashboard tells apart, and an archived one.

    Alder  no rules, no facilitator, online
    Birch  a draft only
    Cedar  version 1 with the group: 2 of 3 answered (one agrees, one wants to talk)
    Damson adopted day, agreed by everyone (one who agreed has since left); a venue
           checked day (95% / 100%), 3 peers' answers, 1 open action, a breach 90 days
           ago (counts) and one 91 days ago (does not): nothing needs attention
    Elm    adopted 7 months ago, 2 of 3 agreed, review overdue; a critical No (85% / 80%),
           2 open actions of which 1 overdue (and 1 done); 2 peers' answers this quarter
           (3 last quarter); 2 breaches
    Fir    adopted 7 months ago, reviewed 30 days ago; an online platform last checked
           13 months ago, so a check is due
    Gorse  version 1 adopted and agreed by both; version 2 with the group, 1 of 2 answered
    Hazel  archived
    """
    day = today()
    coordinator = make_user("Nadia Coordinator", "nadia@north.test")
    org = make_organisation("Northside", coordinators=[coordinator])
    fern, gus = people("Fern Facilitator", "Gus Facilitator")
    ann, ben, cal = people("Ann Peer", "Ben Peer", "Cal Peer")
    n = SimpleNamespace(org=org, coordinator=coordinator, fern=fern, gus=gus, today=day)

    n.alder = group(org, "Alder", peers=[ann], format=Group.Format.ONLINE)

    n.birch = group(org, "Birch", facilitators=[fern], peers=[ann])
    draft(n.birch, fern)

    n.cedar = group(org, "Cedar", facilitators=[gus], peers=[ann, ben], format="hybrid")
    cedar_round = put_to_group(n.cedar, gus)
    answer(cedar_round, gus)
    answer(cedar_round, ann, "talk")

    n.damson = group(org, "Damson", facilitators=[fern], peers=[ann, ben, cal])
    adopt(n.damson, fern, agreeing=[fern, ann, ben, cal])
    leave(n.damson, cal)
    n.damson_hall = venue(org, "Damson Hall", used_by=[n.damson])
    damson_check = assess(n.damson, n.damson_hall, fern, {"staffed": "partly"})
    action(damson_check, "staffed", fern, due_on=day + timedelta(days=30))
    feedback(n.damson, n.damson_hall, 3, score=4)
    breach(n.damson, fern, day - timedelta(days=90))
    breach(n.damson, fern, day - timedelta(days=91))

    n.elm = group(org, "Elm", facilitators=[gus], peers=[ann, ben])
    n.elm_adopted = add_months(day, -7)
    adopt(n.elm, gus, agreeing=[gus, ann], when=at(n.elm_adopted))
    n.elm_rooms = venue(org, "Elm Rooms", used_by=[n.elm])
    elm_check = assess(
        n.elm,
        n.elm_rooms,
        gus,
        {"private": "no", "staffed": "partly", "welcoming": "no", "refreshments": "na"},
    )
    action(elm_check, "private", gus, due_on=day - timedelta(days=1))
    action(elm_check, "staffed", gus, due_on=day + timedelta(days=10))
    close(action(elm_check, "welcoming", gus, due_on=day - timedelta(days=5)))
    feedback(n.elm, n.elm_rooms, 2, score=5)
    feedback(n.elm, n.elm_rooms, 3, score=5, period=quarter(add_months(day, -3)))
    breach(n.elm, gus, day)
    breach(n.elm, gus, day - timedelta(days=30))

    n.fir = group(org, "Fir", facilitators=[fern], peers=[ben], format="online")
    fir_v1 = adopt(n.fir, fern, agreeing=[fern, ben], when=at(add_months(day, -7)))
    n.fir_reviewed = day - timedelta(days=30)
    review(n.fir, fir_v1, n.fir_reviewed)
    n.fir_video = venue(org, "Fir Video", used_by=[n.fir], kind="online")
    n.fir_checked = add_months(day, -13)
    assess(n.fir, n.fir_video, fern, when=at(n.fir_checked))

    n.gorse = group(org, "Gorse", facilitators=[gus], peers=[cal])
    adopt(n.gorse, gus, agreeing=[gus, cal])
    gorse_round = put_to_group(n.gorse, gus, ["Keep what is said here in the room.", "New."])
    answer(gorse_round, cal)

    n.hazel = group(org, "Hazel", facilitators=[fern], peers=[ann])
    Group.objects.filter(pk=n.hazel.pk).update(archived_at=at(day))
    return n


@pytest.fixture
def ss(db):
    return SimpleNamespace(
        LINK=LINK,
        today=today,
        at=at,
        month_start=month_start,
        in_month=in_month,
        short=short,
        long=long,
        group=group,
        people=people,
        leave=leave,
        joined=joined,
        draft=draft,
        put_to_group=put_to_group,
        answer=answer,
        adopt=adopt,
        agreed_at=agreed_at,
        review=review,
        review_every=review_every,
        breach=breach,
        propose=propose,
        venue=venue,
        assess=assess,
        action=action,
        close=close,
        feedback=feedback,
        tables=tables,
        table_texts=table_texts,
        dashboard_rows=dashboard_rows,
        row_order=row_order,
        text=text,
        section=section,
        section_text=section_text,
        url=url,
    )
