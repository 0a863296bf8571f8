"""After the drill: is every write the app acknowledged in the database, and did every
queued email go out exactly once? Each check returns (checked, problems)."""

from collections import Counter, defaultdict

from django_tasks_db.models import DBTaskResult

from groundrules.models import Agreement
from groups.models import Concern, Invitation, OutgoingEmail
from venues.models import Answer, FeedbackReceipt

from .ledger import ACKED


def _last_acked_or_later(entries):
    """The values a key may end with: its last acknowledged value, or a value posted
    after it whose outcome is in doubt."""
    last = max((i for i, e in enumerate(entries) if e[1] == ACKED), default=None)
    if last is None:
        return None
    return [e[4] for e in entries[last:]]


def venue_answers(ledger, what):
    by_url = defaultdict(list)
    for entry in ledger.of(what):
        by_url[entry[3]].append(entry)
    problems, checked = [], 0
    for url, entries in by_url.items():
        allowed = _last_acked_or_later(entries)
        if allowed is None:
            continue
        assessment, question = url.rstrip("/").split("/")[-4], url.rstrip("/").split("/")[-2]
        stored = (
            Answer.objects.filter(assessment__uuid=assessment, question__key=question)
            .values_list("value", "note")
            .first()
        )
        checked += 1
        if stored is None or stored not in allowed:
            problems.append(f"answer to {question}: stored {stored}, acknowledged {allowed[0]}")
    return checked, problems


def _present(exists, name):
    """A check that each acknowledged write is stored: `exists(key)` looks for it,
    `name(key)` says which one is missing."""

    def check(ledger, what):
        acked = ledger.of(what, ACKED)
        missing = [f"{name(key)} missing" for _t, _o, _w, key, _v in acked if not exists(key)]
        return len(acked), missing

    return check


agreements = _present(
    lambda key: Agreement.objects.filter(
        version_id=key[0], user__email=key[1], answer="agree"
    ).exists(),
    lambda key: f"agreement of {key[1]}",
)
feeling_safe = _present(
    lambda key: FeedbackReceipt.objects.filter(group__slug=key[0], user__email=key[1]).exists(),
    lambda key: f"feeling-safe answer of {key[1]}",
)
messages = _present(
    lambda token: Concern.objects.filter(text__contains=token).exists(),
    lambda token: f"message {token}",
)
invitations = _present(
    lambda email: Invitation.objects.filter(email=email).exists(),
    lambda email: f"invitation to {email}",
)


# What the report calls each kind of write: the ledger's name for it, and its check.
WRITES = {
    "venue check answers (last value of each)": ("venue check answer", venue_answers),
    "agreements": ("agree", agreements),
    "feeling-safe answers": ("feeling safe", feeling_safe),
    "private messages": ("message", messages),
    "invitations": ("invitation", invitations),
}


def queued_emails() -> set[str]:
    """The id of every email given to the queue (each deliver task names one)."""
    tasks = DBTaskResult.objects.filter(task_path__endswith="deliver_email")
    return {str(args["args"][0]) for args in tasks.values_list("args_kwargs", flat=True)}


def emails(sink, queued: set[str]):
    """Every email queued reached the mail server exactly once: one Message-ID per email,
    none seen twice, none missing, nothing left waiting unsent.

    One case is allowed (docs/deploy.md): the mail server took an email and the database
    went away before its row's deletion was committed. Its row is still in the outbox,
    to be offered again (a second copy, with the same Message-ID): returned apart, as
    `to_resend`, not as a problem."""
    seen = Counter(mid.strip("<>").split("@")[0] for mid, *_ in sink.messages)
    problems = [f"email {mid} sent {n} times" for mid, n in seen.items() if n > 1]
    waiting = set(map(str, OutgoingEmail.objects.values_list("pk", flat=True)))
    problems += [f"email {mid} queued, never sent" for mid in queued - set(seen) - waiting]
    problems += [
        f"email {mid} still waiting in the outbox, not sent" for mid in waiting - set(seen)
    ]
    to_resend = sorted(waiting & set(seen))
    problems += [f"email {mid} sent, never queued" for mid in set(seen) - queued]
    invited = Counter(to for _mid, to, *_ in sink.messages if to.startswith("invitee-"))
    for email in Invitation.objects.filter(email__startswith="invitee-").values_list(
        "email", flat=True
    ):
        if invited[email] != 1:
            problems.append(f"{email} got {invited[email]} invitation emails")
    return len(queued), sum(seen.values()), problems, to_resend
