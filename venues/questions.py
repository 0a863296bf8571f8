"""The default venue questions: every reflective question from the toolkit's two
venue lists, in our own words, plus the ones it implies (meeting time, and one
per specific need). Each asks one thing. Most are phrased so that Yes is the safe
answer; two keep the toolkit's direction, where No is (SAFE_WHEN_NO).

(key, section, applies to, need, critical, text, hint)
"""

from django.utils.translation import gettext_lazy as _

from .models import Question

B, F = "being_safe", "feeling_safe"
PHYS, ONLINE, BOTH = "physical", "online", "both"

DEFAULT_QUESTIONS = [
    # Being safe
    (
        "easy-to-find",
        B,
        PHYS,
        "",
        False,
        _("Is the venue easy to get to and easy to find?"),
        _("Think of someone coming for the first time."),
    ),
    ("public-transport", B, PHYS, "", False, _("Can members get there by public transport?"), ""),
    (
        "safe-time",
        B,
        PHYS,
        "",
        False,
        _("Is the meeting time safe for getting there and back home?"),
        _("For example, daylight, and buses still running after the meeting."),
    ),
    (
        "other-users",
        B,
        PHYS,
        "",
        False,
        _("Will members be comfortable with the other people using the venue at the same time?"),
        _("Who else uses the building while the group meets?"),
    ),
    (
        "private",
        B,
        PHYS,
        "",
        True,
        _("Is the space private enough that the group cannot be overheard or seen?"),
        "",
    ),
    ("large-enough", B, PHYS, "", False, _("Is the room large enough for the group?"), ""),
    (
        "accessible",
        B,
        PHYS,
        "",
        False,
        _("Is the venue accessible?"),
        _("For example, level access for people with disabilities, and accessible toilets."),
    ),
    (
        "staffed",
        B,
        PHYS,
        "",
        False,
        _("Are there staff at the venue who could help if there is a difficulty?"),
        "",
    ),
    (
        "culturally-appropriate",
        B,
        BOTH,
        "",
        False,
        _("Is the venue or platform culturally appropriate for the people in the group?"),
        "",
    ),
    (
        "specific-needs",
        B,
        BOTH,
        "",
        False,
        _("Does the venue or platform account for the group's specific needs?"),
        _("The questions below cover the needs recorded for the group."),
    ),
    (
        "platform-secure",
        B,
        ONLINE,
        "",
        True,
        _("Is the platform secure and confidential?"),
        _("For example, meetings need a link or password, and are not recorded."),
    ),
    (
        "members-equipped",
        B,
        ONLINE,
        "",
        False,
        _("Do members have what they need to join, such as headphones and a webcam?"),
        "",
    ),
    # Being safe: one per specific need
    (
        "need-women-only",
        B,
        PHYS,
        "women_only",
        True,
        _("Is it a women-only space, or is men's access restricted while the group meets?"),
        "",
    ),
    (
        "need-alcohol-free",
        B,
        PHYS,
        "alcohol_free",
        True,
        _("Is the venue free of alcohol while the group meets?"),
        _("No bar open, and no drinks served or brought in."),
    ),
    (
        "need-away-from-pubs",
        B,
        PHYS,
        "alcohol_free",
        False,
        _("Is the venue away from pubs and bars?"),
        _("Members shouldn't have to pass one on the way in."),
    ),
    (
        "need-step-free",
        B,
        PHYS,
        "step_free",
        True,
        _("Is there step-free access all the way from the street to the meeting room?"),
        _("For this group, this question is asked instead of “Is the venue accessible?”."),
    ),
    (
        "need-accessible-toilet",
        B,
        PHYS,
        "step_free",
        False,
        _("Is there an accessible toilet that members can reach without steps?"),
        "",
    ),
    (
        "need-quiet-room",
        B,
        PHYS,
        "quiet_room",
        False,
        _("Is there a quiet room members can use to take time out?"),
        "",
    ),
    (
        "need-captions",
        B,
        ONLINE,
        "captions",
        False,
        _("Are captions or a live transcript switched on for the meetings?"),
        _("Check the platform offers them, and that whoever hosts turns them on."),
    ),
    # Feeling safe
    ("welcoming", F, PHYS, "", False, _("Does the venue feel welcoming?"), ""),
    (
        "too-clinical",
        F,
        PHYS,
        "",
        False,
        _("Does the venue feel too clinical?"),
        _("For example, more like a waiting room or a ward than a place to talk. No is safe."),
    ),
    (
        "individual-problems",
        F,
        BOTH,
        "",
        False,
        _("Do any peers have individual problems or worries about the venue or platform?"),
        _("Ask the group whether anything about it troubles anyone. No is safe."),
    ),
    ("refreshments", F, PHYS, "", False, _("Is there access to a kitchen or refreshments?"), ""),
    ("safe-area", F, PHYS, "", False, _("Is the venue in an area people feel safe going to?"), ""),
    (
        "platform-understood",
        F,
        ONLINE,
        "",
        False,
        _("Are members aware of how the online platform works?"),
        "",
    ),
    (
        "safe-place-to-join",
        F,
        ONLINE,
        "",
        False,
        _("Do members have a safe and comfortable place to join the group from?"),
        "",
    ),
    (
        "moment-away",
        F,
        BOTH,
        "",
        False,
        _("Is there somewhere people can go to take a moment away from the group?"),
        _("Online, this might be a breakout room, or an agreed way to step away."),
    ),
]


# Kept in the toolkit's direction: No is the safe answer.
SAFE_WHEN_NO = {"too-clinical", "individual-problems"}

# Not asked of groups with a need whose own question asks it more closely.
NOT_FOR_NEED = {"accessible": "step_free"}


def default_questions():
    """The default questions as unsaved rows, in order (positions from 1)."""
    return [
        Question(
            key=key,
            position=i,
            section=section,
            applies_to=applies,
            need=need,
            not_for_need=NOT_FOR_NEED.get(key, ""),
            critical=critical,
            text=str(text),
            help_text=str(hint),
            safe_answer="no" if key in SAFE_WHEN_NO else "yes",
        )
        for i, (key, section, applies, need, critical, text, hint) in enumerate(
            DEFAULT_QUESTIONS, start=1
        )
    ]
