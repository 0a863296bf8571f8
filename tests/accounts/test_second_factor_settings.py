"""MFA_REQUIRED_FOR and the passkey settings: on by default in production, fail closed on
a value they cannot read (fresh processes, as in tests/project/test_settings.py)."""

from tests.project.test_settings import PRODUCTION, assert_refused, run

SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.MFA_REQUIRED_FOR, s.WEBAUTHN_RP_ID or '-', s.WEBAUTHN_ORIGINS)"
)


def show(**env):
    return run(["-c", SHOW], **env)


def test_production_requires_it_of_coordinators_and_admins_by_default():
    result = show(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['coordinators', 'admins'] - ['https://example.org']"


def test_it_can_be_turned_off_or_widened():
    assert show(**PRODUCTION, MFA_REQUIRED_FOR="").stdout.startswith("[] ")
    widened = show(**PRODUCTION, MFA_REQUIRED_FOR=" Coordinators, admins ,facilitators")
    assert widened.stdout.startswith("['coordinators', 'admins', 'facilitators'] ")


def test_an_unknown_role_is_refused():
    assert_refused(
        show(**PRODUCTION, MFA_REQUIRED_FOR="coordinators,everyone"),
        "MFA_REQUIRED_FOR may name coordinators, admins and facilitators, not everyone.",
    )


def test_the_relying_party_and_origins_can_be_set():
    result = show(
        **PRODUCTION,
        WEBAUTHN_RP_ID="example.org",
        WEBAUTHN_ORIGINS="https://example.org,https://www.example.org",
    )
    assert result.stdout.strip() == (
        "['coordinators', 'admins'] example.org ['https://example.org', 'https://www.example.org']"
    )
