"""Hostile values posted into every form of the app, as every role that can reach it.

The forms are not listed here: they come from the permission matrix (tests/matrix/).
Every URL whose POST does something for some role ("done" in table.py) is attacked
as each of those roles, starting from the valid POST of its page spec, with the
fields of the form on its page added. Each example replaces, repeats or drops one to
three fields: huge and negative numbers, far and nonsense dates, NUL bytes,
100,000-character strings, right-to-left overrides and other control characters,
several values for one field, unknown choices and keys, random text; sent as a form
or urlencoded. URLs that answer a POST like a GET, and the forms sent by GET (the
dashboard's filters, the comparisons), get a few examples too.

For every example:

- the answer is never a server error, nor is the page it redirects to;
- nothing stored is invalid: every new or changed row passes its model's field
  validation (lengths, choices, ranges), holds no NUL byte, no control character
  and no bidirectional control, and its dates are from 1900 to five years on.

Then everything the examples of a URL stored is posted again, all together, and the
pages that show it (the app's pages of the group or organisation, the homes, the
dashboard with its CSV and print view, the safety page, the trends) must answer as
they do in the world, or as they do after the valid POSTs where those change that
(a group archived, a venue no longer used).

Each example runs in a savepoint of its own on the matrix's world (built once for
the module) and is rolled back, so examples are independent. Each URL and role has
a fixed seed and Hypothesis keeps no database of examples, so every run tries the
same values. `HOSTILE_EXAMPLES` (default 6) sets the examples per form, shared by
its roles, for a deeper run on demand:
`HOSTILE_EXAMPLES=300 .venv/bin/python -m pytest tests/hostile/test_fuzz_forms.py`.
"""

import copy
import os
import unicodedata
import zlib
from contextlib import contextmanager
from datetime import date
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, note, seed, settings
from hypothesis import strategies as st

from groups.dates import add_months
from tests.builders import built_once
from tests.matrix.specs import PAGES
from tests.matrix.table import EXPECTED, ROLES, URL_NAMES
from tests.matrix.world import build_world

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "6"))  # per form, shared by its roles

# Forms that take no fields: their POST is the whole request (archive, sign out, …).
# A form that takes fields must have them in its page spec's POST, or on its page.
FIELDLESS = {
    "logout",
    "own_data",
    "groups:archive",
    "groups:restore",
    "groups:member_remove",
    "groups:leave",
    "groups:invitation_revoke",
    "groups:coordinator_invitation_revoke",
    "groundrules:draft_new",
    "groundrules:rule_delete",
    "groundrules:remind",
    "groundrules:breach_delete",
    "venues:question_retire",
    "venues:start",
    "venues:submit",
    "venues:reopen",
    "groups:help_remove",
    "groups:org_help_remove",
    "sign_out_everywhere",
    "security_app_start",
    # django-otp-webauthn's JSON endpoints: a ceremony starts with an empty POST
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-authentication-begin",
}

# A form that lives where its link redirects: the reset link hands over to a page
# that asks for the new password (Django's PasswordResetConfirmView).
REDIRECTED_FORMS = {"password_reset_confirm": ["new_password1", "new_password2"]}

# The pages that show what the forms store: every page of a group or organisation
# (or the home) that a member or a coordinator reads: its GET answers 200 and its POST
# stores nothing, or it is a list with a form for adding to it. Pages about one object
# (a version, a review) are left to the redirect after each example: a new row is
# shown on its list, or where the form sends its author.
LISTS_WITH_A_FORM = {
    "groundrules:reviews",
    "groundrules:breaches",
    "groups:invitations",
    "groups:coordinators",
}
READER_ROLES = ("coordinator", "facilitator", "peer")


def _readers(world):
    pages = []
    for name in URL_NAMES:
        get, post = EXPECTED[name, "GET"], EXPECTED[name, "POST"]
        if PAGES[name].setup or get["anonymous"] == "200":
            continue  # needs a set-up of its own, or public
        if set(PAGES[name].kwargs(world)) - {"slug"}:
            continue  # about one object
        if "done" in post.values() and name not in LISTS_WITH_A_FORM:
            continue
        if name == "home":  # a facilitator's home and a peer's differ
            pages += [(name, "facilitator"), (name, "peer")]
            continue
        role = next((r for r in READER_ROLES if get[r] == "200"), None)
        if role is not None and name != "password_change_done":
            pages.append((name, role))
    return pages


def readers_for(name, readers):
    """The pages that show what the form at `name` stores: its app's pages; the homes,
    the dashboard with its CSV and print view, the safety page and the trends; and, for
    the account pages, the members page (display names)."""
    app = name.split(":")[0] if ":" in name else None
    return [
        (reader, role)
        for reader, role in readers
        if ":" not in reader
        or (app is not None and reader.startswith(f"{app}:"))
        or (app is None and reader == "groups:members")
    ]


def _forms():
    """(URL name, roles) for every URL whose POST does something, with every role it
    does it for; and, as one role, every URL that answers a POST like a GET."""
    cases = []
    for name in URL_NAMES:
        post = EXPECTED[name, "POST"]
        doers = tuple(role for role, outcome in post.items() if outcome == "done")
        if not doers and "200" in post.values():
            doers = (next(r for r in (*READER_ROLES, "anonymous") if post[r] == "200"),)
        if doers:
            cases.append(pytest.param(name, doers, id=name))
    return cases


FORMS = _forms()


def examples_for(name, roles):
    """A bounded number of examples: EXAMPLES per form, shared by its roles (two each at
    least); two for a form that takes no fields and a page that ignores what is posted."""
    if name in FIELDLESS or "done" not in EXPECTED[name, "POST"].values():
        return 2
    return max(2, EXAMPLES // len(roles))


# Hostile values ---------------------------------------------------------------------

NUMBERS = [
    "0",
    "-1",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(-(2**63) - 1),
    "9" * 5000,  # more digits than int() will read
    "1e309",
    "1.5",
    "NaN",
    "-Infinity",
    "0x10",
    "\u0661\u0662",  # Arabic-Indic digits
]
DATES = [
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "31/12/9999",
    "2025-02-29",
    "9999-99-99",
    "yesterday",
]
TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "\u202eevil.exe",  # RIGHT-TO-LEFT OVERRIDE
    "Fay \u202erotatilicaF",
    "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d",
    "\u200b\u200e\u200f\ufeff\u2060",
    "\x1b[31mred\x07\x08\x7f\x9b",
    "line\r\nbreak\u2028\u2029",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.test")',
    "{{ 7|add:7 }}{% now 'Y' %}",
    "' OR 1=1 --",
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # a flag
    "ｐeer@a.test",
]
ANY_HOSTILE = st.one_of(
    st.sampled_from(NUMBERS + DATES + TEXTS),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(max_size=30),
)
BY_KIND = {
    "date": st.sampled_from(DATES),
    "number": st.one_of(
        st.sampled_from(NUMBERS), st.integers(min_value=-(2**80), max_value=2**80).map(str)
    ),
    "text": st.one_of(st.sampled_from(TEXTS), st.text(max_size=30)),
}
MISSING = object()


def _kind(value):
    """What a valid value looks like, so the hostile values tried are mostly of its kind."""
    if isinstance(value, list | tuple):
        return _kind(value[0]) if value else "text"
    text = str(value)
    if len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        return "date"
    return "number" if text.isdigit() else "text"


def values_for(valid_value):
    """Hostile values for a field: mostly of the kind its valid value is, else anything;
    one, or several for one field; or the field left out."""
    if valid_value is None:  # a field of the page's form that the valid request leaves out
        scalars = ANY_HOSTILE
    else:
        scalars = st.one_of(BY_KIND[_kind(valid_value)], ANY_HOSTILE)
    return st.one_of(
        scalars,
        st.lists(scalars, min_size=2, max_size=3),
        st.just(MISSING),
    )


WORST = {"date": "9999-12-31", "number": str(2**63), "text": " \u202e.sdrawkcab"}


def worst_cases(valid):
    """The attacks as they were found, tried first every time, one kind at a time: every
    date far in the future, every number and chosen key past what the database holds,
    every sentence with a right-to-left override."""
    cases = []
    for kind, worst in WORST.items():
        data = dict(valid)
        for name, value in valid.items():
            if _kind(value) != kind or (kind == "text" and " " not in str(value)):
                continue  # a one-word text is a choice: it would only be refused
            if kind == "text":
                data[name] = f"{value}{worst}"
            else:
                data[name] = [*value, worst] if isinstance(value, list) else worst
        if data != valid:
            cases.append((data, False))
    return cases


@st.composite
def hostile_data(draw, valid, names):
    """The valid request with one to three fields replaced, repeated or dropped (one of
    them may be a field nobody asked for); sent as a form (multipart) or urlencoded."""
    data = dict(valid)
    targets = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    for name in targets:
        value = draw(values_for(valid.get(name)))
        if value is MISSING:
            data.pop(name, None)
        elif isinstance(valid.get(name), list) and not isinstance(value, list):
            data[name] = draw(st.sampled_from([value, [*valid[name], value]]))
        else:
            data[name] = value
    return data, draw(st.booleans())


# What may be stored -----------------------------------------------------------------

BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_TABLES = {}


def _table(model):
    """The model's SELECT of every row, where its primary key is in a row, and where
    the values are that differ each time the same thing is stored (keys, UUIDs, times,
    password hashes, tokens)."""
    if model not in _TABLES:
        qn = connection.ops.quote_name
        fields = model._meta.concrete_fields
        volatile = tuple(
            i
            for i, f in enumerate(fields)
            if f.primary_key
            or f.is_relation
            or isinstance(f, models.UUIDField | models.DateTimeField)
            or f.name in ("password", "token_hash")
        )
        sql = f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(model._meta.db_table)}"
        _TABLES[model] = (sql, fields.index(model._meta.pk), volatile)
    return _TABLES[model]


def _rows():
    """{model: {pk: row}} for every model, in one query a table: what changed, where."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            sql, pk, _volatile = _table(model)
            cursor.execute(sql)
            state[model] = {row[pk]: row for row in cursor.fetchall()}
    return state


def _changed(before, after):
    """{model: [pk, …]} of the rows added or changed (sessions aside)."""
    return {
        model: [pk for pk, row in rows.items() if before[model].get(pk) != row]
        for model, rows in after.items()
        if rows != before[model] and model is not Session
    }


def _content(after, changed):
    """What the changed rows hold, without what differs each time: so two requests that
    stored the same thing have the same content."""
    content = {}
    for model, pks in changed.items():
        volatile = _table(model)[2]
        content[model] = sorted(
            tuple(repr(v) for i, v in enumerate(after[model][pk]) if i not in volatile)
            for pk in pks
        )
    return content


def _stored_problems(changed):
    """What is wrong with the new or changed rows, as sentences (none: nothing)."""
    problems = []
    latest = add_months(timezone.localdate(), 60)
    for model, pks in changed.items():
        for row in model._base_manager.filter(pk__in=pks):
            label = f"{model._meta.label} {row.pk}"
            try:
                row.clean_fields(exclude=["password"])
            except ValidationError as error:
                problems.append(f"{label}: {error}")
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                if isinstance(value, str):
                    if "\x00" in value:
                        problems.append(f"{label}.{field.name} holds a NUL byte")
                    if BIDI_CONTROLS & set(value):
                        problems.append(f"{label}.{field.name} holds a bidi control")
                    controls = {
                        c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"
                    }
                    if controls:
                        problems.append(f"{label}.{field.name} holds controls {controls!r}")
                    if field.max_length and len(value) > field.max_length:
                        problems.append(f"{label}.{field.name} is {len(value)} characters long")
                is_day = type(field) is models.DateField
                if is_day and value is not None and not date(1900, 1, 1) <= value <= latest:
                    problems.append(f"{label}.{field.name} is {value}")
    return problems


# The requests -----------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The names of the fields of a page's forms sent with `method`."""

    def __init__(self, method):
        super().__init__()
        self.method, self.inside, self.names = method, False, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("method") or "get").lower() == self.method
        elif self.inside and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                self.names.add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(response, method):
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    parser = _FormFields(method)
    parser.feed(response.content.decode())
    return parser.names


class Clients:
    """A client for each role of the cast, signed in once for the module. Every request
    is made in `isolated()`, which puts back each client's cookies afterwards (the
    database is rolled back), so a client signed out or in by a request is not later."""

    def __init__(self, cast):
        self.by_role = {}
        for role in ROLES:
            self.by_role[role] = Client()
            if role != "anonymous":
                self.by_role[role].force_login(getattr(cast, role))

    def __getitem__(self, role):
        return self.by_role[role]

    @contextmanager
    def isolated(self):
        """A savepoint rolled back at the end, and the clients' cookies as they were."""
        cookies = {role: copy.deepcopy(client.cookies) for role, client in self.by_role.items()}
        try:
            with transaction.atomic():
                yield
                transaction.set_rollback(True)
        finally:
            for role, client in self.by_role.items():
                client.cookies = cookies[role]


def send(client, method, url, data, urlencoded):
    if method == "GET":
        return client.get(url, data)
    if urlencoded:
        flat = [
            (key, item)
            for key, value in data.items()
            for item in (value if isinstance(value, list) else [value])
        ]
        body = urlencode(flat)
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    return client.post(url, data)


def reader_statuses(world, clients, pages):
    statuses = {}
    for name, role in pages:
        url = reverse(name, kwargs=PAGES[name].kwargs(world))
        statuses[name, role] = clients[role].get(url).status_code
    return statuses


@pytest.fixture(scope="module")
def fuzz(django_db_setup, django_db_blocker):
    """The matrix's world and the cast's clients, built once for the module."""
    with built_once(django_db_blocker):
        world = build_world()
        yield SimpleNamespace(world=world, clients=Clients(world.cast))


class _BlankRadios(HTMLParser):
    """Counts radio buttons with no value: a "- Select an option -" choice."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio" and not attrs.get("value"):
            self.count += 1


def _blank_radios(response) -> int:
    if "html" not in response.get("Content-Type", ""):
        return 0
    parser = _BlankRadios()
    parser.feed(response.content.decode())
    return parser.count


@pytest.fixture(scope="module")
def readers(fuzz, django_db_blocker):
    """The reader pages and how each answers in the world; and which of all the pages
    a member or coordinator reads have a form sent by GET."""
    pages = _readers(fuzz.world)
    statuses, get_forms, blank_radios = {}, set(), set()
    with django_db_blocker.unblock(), fuzz.clients.isolated():
        for name in URL_NAMES:
            get = EXPECTED[name, "GET"]
            roles = [role for role in READER_ROLES if get[role] == "200"]
            roles = [role for reader, role in pages if reader == name] or roles[:1]
            with transaction.atomic():  # a page's own set-up is undone after it
                world = fuzz.world
                if PAGES[name].setup:
                    world = copy.deepcopy(fuzz.world)
                    PAGES[name].setup(world)
                for role in roles:
                    url = reverse(name, kwargs=PAGES[name].kwargs(world))
                    response = fuzz.clients[role].get(url)
                    if (name, role) in pages:
                        statuses[name, role] = response.status_code
                    if form_fields(response, "get"):
                        get_forms.add(name)
                    if _blank_radios(response):
                        blank_radios.add((name, role))
                transaction.set_rollback(True)
    return SimpleNamespace(
        pages=pages, statuses=statuses, get_forms=get_forms, blank_radios=blank_radios
    )


HYPOTHESIS = settings(
    deadline=None,
    database=None,  # and a fixed seed for each URL and role (below): the same values
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


class Attack:
    """Hostile requests to one URL, as each role that can reach it."""

    def __init__(self, fuzz, name, method):
        self.world, self.clients = fuzz.world, fuzz.clients
        self.name, self.method, self.page = name, method, PAGES[name]

    def set_up(self):
        """In the current savepoint: the world, set up as the page spec says."""
        world = self.world
        if self.page.setup:
            world = copy.deepcopy(self.world)
            self.page.setup(world)
        return world

    def prepare(self, role, world=None):
        """In the current savepoint: the world (set up, unless given), the actor's
        client, the URL and a valid request."""
        world = world or self.set_up()
        actor = getattr(world.cast, role, None)
        client = self.clients[role]
        url = reverse(self.name, kwargs=self.page.kwargs(world))
        valid = self.page.post(world, actor) if self.method == "POST" else {}
        if self.name in REDIRECTED_FORMS:
            url = client.get(url)["Location"]
            valid = dict.fromkeys(REDIRECTED_FORMS[self.name], "a-new-passphrase-42")
        return world, client, url, valid

    def valid(self, role):
        """The valid request, what it stores, and the names of the fields to attack. A
        form that takes no fields, or a page that ignores what is posted, stores
        nothing but what its request always does (None): only an unknown field is sent."""
        does = EXPECTED[self.name, self.method][role] == "done" or self.method == "GET"
        with self.clients.isolated():
            _world, client, url, valid = self.prepare(role)
            if self.name in FIELDLESS or not does:
                return valid, None, ["unknown-field"]
            shown = client.get(url) if EXPECTED[self.name, "GET"][role] == "200" else None
            before = _rows()
            send(client, self.method, url, valid, urlencoded=False)
            after = _rows()
            stores = _content(after, _changed(before, after))
        names = set(valid) | (form_fields(shown, self.method.lower()) if shown else set())
        if self.method == "POST":
            assert names, (
                f"{self.name}: its page spec posts no fields and its page shows no form: "
                "give the spec a valid POST, or add it to FIELDLESS if it takes none"
            )
        return valid, stores, [*sorted(names), "unknown-field"]

    def run(self, role, examples, worst=True):
        """Hostile requests as `role` (the worst cases first, if `worst`); returns those
        that stored something other than the valid request stores."""
        stored = []
        valid, stores, names = self.valid(role)

        def attack(hostile):
            data, urlencoded = hostile
            note(f"{self.method} {self.name} as {role}")
            with self.clients.isolated():
                _world, client, url, _valid = self.prepare(role)
                before = _rows()
                response = send(client, self.method, url, data, urlencoded)
                assert response.status_code < 500, response.status_code
                after = _rows()
                changed = _changed(before, after)
                assert _stored_problems(changed) == []
                if changed and response.status_code == 302:
                    shown = client.get(response["Location"])
                    assert shown.status_code < 500, (response["Location"], shown.status_code)
                if changed and stores is not None and _content(after, changed) != stores:
                    stored.append((role, data, urlencoded))

        attack = given(hostile=hostile_data(valid, names))(attack)
        for case in worst_cases(valid) if worst else ():
            attack = example(hostile=case)(attack)
        attack = seed(zlib.crc32(f"{self.name} {role}".encode()))(attack)
        settings(HYPOTHESIS, max_examples=examples)(attack)()
        return stored

    def statuses_after(self, requests, pages):
        """How `pages` answer after `requests` (role, data, urlencoded), in a savepoint."""
        with self.clients.isolated():
            world = self.set_up()
            for role, data, urlencoded in requests:
                _world, client, url, _valid = self.prepare(role, world)
                response = send(client, self.method, url, data, urlencoded)
                assert response.status_code < 500, (role, data, response.status_code)
            return reader_statuses(world, self.clients, pages)


def _attack(fuzz, readers, name, roles, method):
    attack = Attack(fuzz, name, method)
    stored = []
    for role in roles:  # the worst cases as the first role: the form is the same
        stored += attack.run(role, examples_for(name, roles), worst=role == roles[0])
    if not stored:
        return
    pages = readers_for(name, readers.pages)
    after = attack.statuses_after(stored, pages)
    moved = [page for page in pages if after[page] != readers.statuses[page]]
    if not moved:
        return
    # The valid requests may change how a page answers too: then so may the hostile.
    roles = dict.fromkeys(role for role, *_ in stored)
    valid = [(role, attack.valid(role)[0], False) for role in roles]
    expected = attack.statuses_after(valid, moved)
    broken = {page: after[page] for page in moved if after[page] != expected[page]}
    if broken:
        wanted = {page: expected[page] for page in broken}
        culprits = [r for r in stored if attack.statuses_after([r], list(broken)) != wanted]
        pytest.fail(f"{name}: pages answer {broken} after {culprits or stored}")


@pytest.mark.parametrize(("name", "roles"), FORMS)
def test_hostile_posts_never_break_a_form_or_a_page(name, roles, fuzz, readers, db):
    _attack(fuzz, readers, name, roles, "POST")


# Pages with a form sent by GET; test_every_form_sent_by_get_is_attacked finds them all.
GET_FORMS = {"dashboard", "groups:audit", "groundrules:compare", "venues:compare"}


def _get_forms():
    return [
        pytest.param(name, (role,), id=f"{name}-{role}")
        for name in sorted(GET_FORMS)
        for role, outcome in EXPECTED[name, "GET"].items()
        if outcome == "200"
    ]


@pytest.mark.parametrize(("name", "roles"), _get_forms())
def test_hostile_queries_never_break_a_page(name, roles, fuzz, readers, db):
    _attack(fuzz, readers, name, roles, "GET")


def test_no_page_offers_an_empty_radio_choice(readers, db):
    """Every page every member or coordinator reads, with its forms: no radio button
    stands for no answer ("- Select an option -")."""
    assert readers.blank_radios == set()


def test_every_form_sent_by_get_is_attacked(readers, db):
    """Fails when a page gains a form sent by GET that GET_FORMS does not list."""
    assert readers.get_forms == GET_FORMS


def test_every_url_that_takes_a_post_is_attacked(readers, db):
    """Every URL of the app whose POST is not refused outright, as every role it does
    something for: the matrix lists every URL pattern (test_completeness.py)."""
    attacked = {p.values[0]: p.values[1] for p in FORMS}
    for name in URL_NAMES:
        post = EXPECTED[name, "POST"]
        doers = {role for role, outcome in post.items() if outcome == "done"}
        if doers:
            assert set(attacked.get(name, ())) == doers, name
        elif "200" in post.values():
            assert name in attacked, name
    assert {"groundrules:breaches", "groundrules:review_new", "venues:choose"} <= set(attacked)
    # The pages read afterwards: the group's pages, the homes, dashboard, CSV and print.
    assert {
        ("home", "facilitator"),
        ("home", "peer"),
        ("dashboard", "coordinator"),
        ("dashboard_csv", "coordinator"),
        ("dashboard_print", "coordinator"),
        ("safety", "coordinator"),
        ("groups:detail", "coordinator"),
        ("groundrules:print", "coordinator"),
        ("groundrules:reviews", "coordinator"),
        ("groundrules:breaches", "coordinator"),
        ("venues:group", "coordinator"),
    } <= set(readers.pages)


def test_every_reader_page_answers_in_the_world(readers, db):
    assert set(readers.statuses.values()) == {200}
