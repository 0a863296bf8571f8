import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .base import Timestamped


def normalise_email(value: str | None) -> str:
    """The one spelling of an email address that is stored, looked up and throttled.

    NFKC folds compatibility forms to plain characters, as Django's sign-in form
    does (a fullwidth "ｐ", a mathematical bold "𝐩", an ideographic space); then
    the surrounding space goes and letters are lower-cased. Lower-casing can
    undo NFKC, so it is applied again: normalising twice changes nothing.
    Signing in (UserManager.get_by_natural_key) and the sign-in throttle
    (safespace.accounts.throttle) both use this, so they cannot disagree on who
    an address is.
    """
    folded = unicodedata.normalize("NFKC", value or "").strip().lower()
    return unicodedata.normalize("NFKC", folded)


def new_session_token() -> str:
    return secrets.token_hex(16)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=normalise_email(username))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("display_name", "Admin")
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin, Timestamped):
    """Someone who signs in. Only a display name is asked for: no real name."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("How other members see you. It does not need to be your real name."),
    )
    is_staff = models.BooleanField(_("site admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Mixed into the session hash: a new token ends every session of this person
    # ("sign out everywhere"), as a new password does.
    session_token = models.CharField(
        _("session token"), max_length=32, default=new_session_token, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or _("(no display name)")

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    # Sessions: Django keeps a session only while the hash stored in it matches this
    # one. It covers the password (as Django's does) and the session token.
    def _session_hash(self, secret=None):
        return salted_hmac(
            "groups.User.session_auth_hash",
            f"{self.password}:{self.session_token}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self):
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)

    def rotate_session_token(self):
        """End every session of this person: each holds a hash of the old token.
        A view that should stay signed in follows with update_session_auth_hash."""
        self.session_token = new_session_token()
        self.save(update_fields=["session_token", "updated"])
