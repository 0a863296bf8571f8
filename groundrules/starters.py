"""A library of starter ground rules, written for SafeSpace.

Groups pick the ones that fit and then change the words to their own.
"""

from django.utils.translation import gettext_lazy as _

from .models import Category

STARTERS = [
    # (key, category, text, why, if broken)
    (
        "stays-here",
        Category.CONFIDENTIALITY,
        _(
            "What people share in the group stays in the group. We don't repeat it outside, "
            "even without names."
        ),
        _("People can only be open if they trust that their stories will not travel."),
        _("A facilitator has a quiet word with the person, and the group is reminded."),
    ),
    (
        "limits",
        Category.CONFIDENTIALITY,
        _(
            "If someone tells us they or someone else is in serious danger, a facilitator may need "
            "to get help, and will tell the person first wherever possible."
        ),
        _("Confidentiality has limits, and everyone should know them before they share."),
        _("The facilitator explains what they did and why, as soon as it is safe to."),
    ),
    (
        "listen",
        Category.RESPECT,
        _("One person speaks at a time. We listen without interrupting."),
        _("Everyone deserves to be heard fully."),
        _("A gentle reminder to the group."),
    ),
    (
        "no-judging",
        Category.RESPECT,
        _(
            "We don't judge, fix or give advice unless someone asks for it. We speak from our own "
            'experience, using "I".'
        ),
        _("Peer support is about shared experience, not telling others what to do."),
        _("A gentle reminder to the group."),
    ),
    (
        "pass",
        Category.SHARING,
        _("Nobody has to speak. You can pass, or just listen, and that is fine."),
        _("Feeling safe includes choosing when, and whether, to share."),
        _("A facilitator steps in if someone is pressed to share."),
    ),
    (
        "own-pace",
        Category.SHARING,
        _("Share only what you feel comfortable sharing. You can stop at any point."),
        _("People may regret saying more than they meant to."),
        _("A facilitator checks in with the person after the meeting."),
    ),
    (
        "time-out",
        Category.TIME_OUT,
        _(
            "Anyone can step out for a moment at any time. If you leave and don't come back, "
            "someone may check that you are all right."
        ),
        _("Difficult feelings can come up, and a break can help."),
        _("No response needed: this rule protects choice."),
    ),
    (
        "detail",
        Category.TOPICS,
        _(
            "When we talk about self-harm or suicide, we talk about feelings and what helps, "
            "not methods or graphic detail."
        ),
        _("Detail can be distressing or harmful to others in the room."),
        _("A facilitator gently pauses the conversation and may offer a break."),
    ),
    (
        "warning",
        Category.TOPICS,
        _("Before talking about something that might upset others, we give a short warning."),
        _("It lets people prepare, or step out if they need to."),
        _("A gentle reminder to the group."),
    ),
    (
        "phones",
        Category.PHONES,
        _("Phones on silent and put away. If you need to take a call, step outside."),
        _("Phones distract, and can make people worry about being recorded."),
        _("A gentle reminder to the person."),
    ),
    (
        "cameras",
        Category.ONLINE,
        _(
            "Cameras are optional. Join from a private space if you can, and use headphones "
            "if others are nearby."
        ),
        _("Not everyone can or wants to be seen, and others should not overhear the group."),
        _("The host may ask the person to use headphones or move somewhere private."),
    ),
    (
        "no-screenshots",
        Category.ONLINE,
        _("No screenshots, recordings or sharing of anything from the group."),
        _("Recordings break confidentiality and cannot be taken back."),
        _("The person is removed from the session and the facilitator follows up."),
    ),
    (
        "no-graphic",
        Category.ONLINE,
        _("No graphic pictures or descriptions of self-harm in the chat or on camera."),
        _("Images can be very distressing and stay with people."),
        _("The host removes the content and speaks to the person privately."),
    ),
    (
        "sober",
        Category.VENUE,
        _("Please don't come to the group under the influence of alcohol or drugs."),
        _("The group needs to be a safe, steady space for everyone."),
        _("A facilitator asks the person to leave for this session, kindly and privately."),
    ),
    (
        "no-violence",
        Category.VENUE,
        _("No violence, threats or abusive language, in the room or online."),
        _("Everyone must be physically and emotionally safe."),
        _("The person is asked to leave the session; the facilitators decide next steps."),
    ),
]

STARTERS_BY_KEY = {
    key: (category, text, why, if_broken) for key, category, text, why, if_broken in STARTERS
}

# Starters that only make sense for some formats: the rest suit every group.
ONLY_FOR = {
    "phones": {"in_person", "hybrid"},
    "cameras": {"online", "hybrid"},
    "no-screenshots": {"online", "hybrid"},
    "no-graphic": {"online", "hybrid"},
}

# What happens if a starter is broken, for groups where the facilitators do not uphold the
# rules on their own: worded for moderators, or for everyone in the group together.
RESPONSES_FOR = {
    "moderators": {
        "stays-here": _("A moderator has a quiet word with the person, and the group is reminded."),
        "limits": _("The moderator explains what they did and why, as soon as it is safe to."),
        "pass": _("A moderator steps in if someone is pressed to share."),
        "own-pace": _("A moderator checks in with the person after the meeting."),
        "detail": _("A moderator gently pauses the conversation and may offer a break."),
        "no-screenshots": _("The person is removed from the session and a moderator follows up."),
        "sober": _("A moderator asks the person to leave for this session, kindly and privately."),
        "no-violence": _(
            "The person is asked to leave the session; the moderators decide next steps."
        ),
    },
    "everyone": {
        "stays-here": _(
            "Someone in the group has a quiet word with the person, and we remind each other."
        ),
        "limits": _("Whoever got help explains what they did and why, as soon as it is safe to."),
        "pass": _("Any of us can step in if someone is pressed to share."),
        "own-pace": _("Someone checks in with the person after the meeting."),
        "detail": _("Any of us can gently pause the conversation and offer a break."),
        "no-screenshots": _(
            "The person is removed from the session and the group talks about it together."
        ),
        "sober": _("Someone asks the person to leave for this session, kindly and privately."),
        "no-violence": _(
            "The person is asked to leave the session; the group decides next steps together."
        ),
    },
}


def starters_for(group) -> dict:
    """The starter rules that fit `group`: for its format, and with what happens if one is
    broken worded for who upholds its rules. {key: (category, text, why, if_broken)}."""
    responses = RESPONSES_FOR.get(group.upheld_by, {})
    return {
        key: (category, text, why, responses.get(key, if_broken))
        for key, category, text, why, if_broken in STARTERS
        if group.format in ONLY_FOR.get(key, {group.format})
    }
