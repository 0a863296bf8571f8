"""What changed between two readings of the ground rules: rule by rule, part by part,
word by word. Pure functions of rules already read (no queries)."""

import difflib

from django.utils.translation import gettext_lazy as _

from .models import RULE_PARTS, Category


def rule_diff(old_rules, new_rules):
    """Rule-by-rule difference between two versions, matched by lineage."""
    old = {r.lineage: r for r in old_rules}
    new = {r.lineage: r for r in new_rules}
    rows = []
    for rule in new_rules:
        before = old.get(rule.lineage)
        if before is None:
            rows.append({"change": "added", "new": rule, "old": None})
        elif before.content() != rule.content():
            rows.append(
                {
                    "change": "changed",
                    "new": rule,
                    "old": before,
                    "parts": part_changes(before.content(), rule.content()),
                    "text_changed": before.text != rule.text,
                }
            )
        else:
            rows.append({"change": "same", "new": rule, "old": before})
    for rule in old_rules:
        if rule.lineage not in new:
            rows.append({"change": "removed", "new": None, "old": rule})
    return rows


PART_LABELS = {
    "text": _("The rule"),
    "why": _("Why we have it"),
    "category": _("Category"),
    "if_broken": _("If it is broken"),
}


def part_changes(before: dict, after: dict, parts=RULE_PARTS) -> list:
    """Each of `parts` that differs between two readings of a rule: its label, and the
    change word by word (a category, from one name to another)."""
    changes = []
    for part in parts:
        old, new = before.get(part) or "", after.get(part) or ""
        if old == new:
            continue
        if part == "category":
            old = Category(old).label if old in Category.values else ""
            new = Category(new).label if new in Category.values else ""
        changes.append(
            {
                "part": part,
                "label": PART_LABELS[part],
                "words": word_diff(old, new),
                "taken_out": not new,
            }
        )
    return changes


def word_diff(before: str, after: str):
    """Word-by-word changes from `before` to `after`, as (kind, text) pairs."""
    old_words, new_words = before.split(), after.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return parts
