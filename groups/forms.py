import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from .conflicts import StampedForm
from .fields import PlainTextField, bounded_formfield
from .models import (
    CONCERN_LIMIT,
    FOLLOW_UP_LIMIT,
    Concern,
    Group,
    GroupNeed,
    HelpService,
    Invitation,
    dial_string,
    normalise_email,
)

# Longer than any passphrase a person or a password manager makes; short enough that
# hashing it costs nothing much.
PASSWORD_LIMIT = 1024


class GroupForm(StampedForm, forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("Specific needs"),
        choices=GroupNeed.Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the place or platform must offer so that members are safe."),
    )

    class Meta:
        formfield_callback = bounded_formfield
        model = Group
        fields = [
            "name",
            "purpose",
            "format",
            "meeting_time",
            "meeting_place",
            "needs",
            "other_needs",
            "upheld_by",
            "for_survivors",
            "quick_exit",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
            "upheld_by": forms.RadioSelect,
            "quick_exit": forms.RadioSelect,
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Radio buttons need no "- Select an option -" choice: none is ticked until chosen.
        self.fields["format"].choices = Group.Format.choices
        self.fields["quick_exit"].choices = Group.QuickExit.choices
        # Left out of a post: keep what it was (the default, for a new group).
        self.fields["quick_exit"].required = False
        if self.instance.pk:
            self.fields["needs"].initial = list(self.instance.needs.values_list("need", flat=True))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Group.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another group in this organisation has that name."))
        return name

    def clean_quick_exit(self):
        return self.cleaned_data.get("quick_exit") or self.instance.quick_exit

    def group_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("needs", "base")}


class InvitePeopleForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        help_text=_("We send them a link that works once and expires after 14 days."),
    )
    role = forms.ChoiceField(
        label=_("Invite them as"),
        choices=[
            (Invitation.Role.PEER, _("Peer (a member of the group)")),
            (Invitation.Role.FACILITATOR, _("Facilitator")),
        ],
        initial=Invitation.Role.PEER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, may_invite_facilitators, pending_emails=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pending_emails = {e.lower() for e in pending_emails}
        if not may_invite_facilitators:
            del self.fields["role"]

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if email in self.pending_emails:
            raise forms.ValidationError(
                _("This address already has an invitation waiting. Revoke it to send a new one.")
            )
        return email

    @property
    def invitation_role(self):
        return self.cleaned_data.get("role", Invitation.Role.PEER)


class InviteCoordinatorForm(InvitePeopleForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, may_invite_facilitators=False, **kwargs)

    @property
    def invitation_role(self):
        return Invitation.Role.COORDINATOR


class InvitationSignUpForm(forms.Form):
    display_name = PlainTextField(
        label=_("Display name"),
        max_length=60,
        help_text=_("How other members will see you. It does not need to be your real name."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        max_length=PASSWORD_LIMIT,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Avoid common passwords."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        max_length=PASSWORD_LIMIT,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please choose a display name."))
        return name

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            probe = get_user_model()(email=self.email, display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# Private messages (concerns) ---------------------------------------------------------------


class ConcernForm(forms.Form):
    to = forms.ChoiceField(label=_("Who should read it?"), widget=forms.RadioSelect)
    text = PlainTextField(
        label=_("Your message"),
        max_length=CONCERN_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say as much or as little as you like, up to 2,000 characters."),
    )

    def __init__(self, *args, recipients: dict, **kwargs):
        """`recipients`: {Concern.To value: [people who would read it]}; an option with
        nobody to read it is not offered."""
        super().__init__(*args, **kwargs)
        labels = {
            Concern.To.FACILITATORS: _("The group's facilitators ({names})"),
            Concern.To.COORDINATORS: _(
                "The organisation's coordinators, if it is about a facilitator ({names})"
            ),
        }
        self.fields["to"].choices = [
            (to, labels[to].format(names=", ".join(p.display_name for p in people)))
            for to, people in recipients.items()
            if people
        ]
        if len(self.fields["to"].choices) == 1:
            self.fields["to"].initial = self.fields["to"].choices[0][0]

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write a few words."))
        return text


class FollowUpForm(forms.Form):
    note = PlainTextField(
        label=_("A note about what you did (optional)"),
        max_length=FOLLOW_UP_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the people who can read this message. It is deleted with it."),
    )


# Lists of help -------------------------------------------------------------------------------

_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{1,22}$")


class HelpServiceForm(StampedForm, forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = HelpService
        fields = ["name", "what_for", "phone", "text_number", "hours", "website"]

    def _number(self, name):
        value = " ".join(self.cleaned_data[name].split())
        if value and (not _PHONE.match(value) or len(dial_string(value)) < 3):
            raise forms.ValidationError(
                _("Please give a number with digits and spaces only, for example 0800 123 4567.")
            )
        return value

    def clean_phone(self):
        return self._number("phone")

    def clean_text_number(self):
        return self._number("text_number")

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Please give a web address starting with https://"))
        return website

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) for f in ("phone", "text_number", "website")) and not (
            self.errors
        ):
            raise forms.ValidationError(
                _("Please give at least a phone number, a text number or a website.")
            )
        return cleaned
