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


def venue_answers(ledger):
    by_url = defaultdict(list)
    for entry in ledger.of("venue check answer"):
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


def agreements(ledger):
    problems, acked = [], ledger.of("agree", ACKED)
    for _t, _o, _w, (version_id, email), _v in acked:
        if not Agreement.objects.filter(
            version_id=version_id, user__email=email, answer="agree"
        ).exists():
            problems.append(f"agreement of {email} missing")
    return len(acked), problems


def feeling_safe(ledger):
    problems, acked = [], ledger.of("feeling safe", ACKED)
    for _t, _o, _w, (slug, email), _v in acked:
        if not FeedbackReceipt.objects.filter(group__slug=slug, user__email=email).exists():
            problems.append(f"feeling-safe answer of {email} missing")
    return len(acked), problems


def messages(ledger):
    problems, acked = [], ledger.of("message", ACKED)
    for _t, _o, _w, token, _v in acked:
        if not Concern.objects.filter(text__contains=token).exists():
            problems.append(f"message {token} missing")
    return len(acked), problems


def invitations(ledger):
    problems, acked = [], ledger.of("invitation", ACKED)
    for _t, _o, _w, email, _v in acked:
        if not Invitation.objects.filter(email=email).exists():
            problems.append(f"invitation to {email} missing")
    return len(acked), problems


WRITES = {
    "venue check answers (last value of each)": venue_answers,
    "agreements": agreements,
    "feeling-safe answers": feeling_safe,
    "private messages": messages,
    "invitations": invitations,
}


def queued_emails() -> set[str]:
    """The id of every email given to the queue (each deliver task names one)."""
    tasks = DBTaskResult.objects.filter(task_path__endswith="deliver_email")
    return {str(args["args"][0]) for args in tasks.values_list("args_kwargs", flat=True)}


def emails(sink, queued: set[str]):
    """Every email queued reached the mail server exactly once: one Message-ID per email,
    none seen twice, none missing, nothing left waiting."""
    seen = Counter(mid.strip("<>").split("@")[0] for mid, *_ in sink.messages)
    problems = [f"email {mid} sent {n} times" for mid, n in seen.items() if n > 1]
    waiting = set(map(str, OutgoingEmail.objects.values_list("pk", flat=True)))
    problems += [f"email {mid} queued, never sent" for mid in queued - set(seen) - waiting]
    problems += [f"email {mid} still waiting in the outbox" for mid in waiting]
    problems += [f"email {mid} sent, never queued" for mid in set(seen) - queued]
    invited = Counter(to for _mid, to, *_ in sink.messages if to.startswith("invitee-"))
    for email in Invitation.objects.filter(email__startswith="invitee-").values_list(
        "email", flat=True
    ):
        if invited[email] != 1:
            problems.append(f"{email} got {invited[email]} invitation emails")
    return len(queued), sum(seen.values()), problems
