"""The UK national services shown when an organisation or group has no list of its own
(and always on "Get help now", after any list of their own)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import dial_string


@dataclass(frozen=True)
class Helpline:
    name: str
    what_for: str
    phone: str = ""
    text_number: str = ""
    hours: str = ""
    website: str = ""
    text_word: str = ""  # what to text, for a text service

    @property
    def tel(self) -> str:
        return dial_string(self.phone)

    @property
    def sms(self) -> str:
        return dial_string(self.text_number)


EMERGENCY = Helpline(
    name=_("Emergency services"),
    what_for=_("If you or someone else is in danger now, or has been badly hurt."),
    phone="999",
    hours=_("Any time"),
)

DEFAULTS = [
    EMERGENCY,
    Helpline(
        name=_("NHS 111, option 2"),
        what_for=_("Urgent help with your mental health in England: call 111 and choose option 2."),
        phone="111",
        hours=_("Any time"),
        website="https://111.nhs.uk/",
    ),
    Helpline(
        name=_("Samaritans"),
        what_for=_("Someone to talk to, whatever you are going through. Free."),
        phone="116 123",
        hours=_("Any time, day or night"),
        website="https://www.samaritans.org/",
    ),
    Helpline(
        name=_("Shout"),
        what_for=_("Text support if you are struggling to cope and would rather not talk."),
        text_number="85258",
        text_word="SHOUT",
        hours=_("Any time"),
        website="https://giveusashout.org/",
    ),
    Helpline(
        name=_("National Domestic Abuse Helpline"),
        what_for=_("Support for anyone experiencing domestic abuse, and those worried about them."),
        phone="0808 2000 247",
        hours=_("Any time, free"),
        website="https://www.nationaldahelpline.org.uk/",
    ),
]
