"""Matrix page specs and effect checks: the home, help and account pages, signing in
and out, passwords, and accepting an invitation.
"""

import io
import zipfile

from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groups.models import Membership
from safespace.accounts.downloads import make_download_link
from safespace.accounts.models import DownloadLink
from tests.matrix.page import Page, group_names_for, redirects_to
from tests.matrix.world import ACCEPT_TOKEN, NEW_PASSWORD, NEWCOMER_EMAIL, OLD_PASSWORD


def reset_kwargs(w):
    # Made after signing in: the token depends on the peer's last_login.
    peer = get_user_model().objects.get(pk=w.cast.peer.pk)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(peer.pk)),
        "token": default_token_generator.make_token(peer),
    }


# Effect checks for "done" outcomes: (world, actor, response, client, mail) ----


def account_done(w, actor, response, client, mail):
    redirects_to(response, reverse("account"))
    actor.refresh_from_db()
    assert actor.display_name == "Renamed Person"


def sign_out_everywhere_done(w, actor, response, client, mail):
    redirects_to(response, reverse("account"))
    before = actor.session_token
    actor.refresh_from_db()
    assert actor.session_token != before  # every session made with the old one has ended
    assert get_user(client) == actor  # ... but not this one


def login_done(w, actor, response, client, mail):
    redirects_to(response, reverse("home"))
    assert client.session["_auth_user_id"] == str(w.cast.peer.pk)


def logout_done(w, actor, response, client, mail):
    redirects_to(response, reverse("login"))
    assert "_auth_user_id" not in client.session


def password_change_done(w, actor, response, client, mail):
    redirects_to(response, reverse("password_change_done"))
    actor.refresh_from_db()
    assert actor.check_password(NEW_PASSWORD)


def reset_email(actor, w):
    return actor.email if actor else w.cast.peer.email


def password_reset_done(w, actor, response, client, mail):
    redirects_to(response, reverse("password_reset_done"))
    assert [m.to for m in mail] == [[reset_email(actor, w)]]
    assert "/accounts/reset/" in mail[0].body


def password_reset_confirm_done(w, actor, response, client, mail):
    uidb64 = urlsafe_base64_encode(force_bytes(w.cast.peer.pk))
    set_password = reverse(
        "password_reset_confirm", kwargs={"uidb64": uidb64, "token": "set-password"}
    )
    redirects_to(response, set_password)
    answer = client.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    redirects_to(answer, reverse("password_reset_complete"))
    peer = get_user_model().objects.get(pk=w.cast.peer.pk)
    assert peer.check_password(NEW_PASSWORD)


def invitation_accept_done(w, actor, response, client, mail):
    redirects_to(response, reverse("groups:detail", args=[w.cast.group_a.slug]))
    newcomer = get_user_model().objects.get(email=NEWCOMER_EMAIL)
    assert newcomer.display_name == "Newcomer"
    assert Membership.objects.filter(
        group=w.cast.group_a, user=newcomer, left_at__isnull=True, role=Membership.Role.PEER
    ).exists()
    w.accept_invitation.refresh_from_db()
    assert w.accept_invitation.accepted_by == newcomer
    assert client.session["_auth_user_id"] == str(newcomer.pk)


def delete_account_done(w, actor, response, client, mail):
    redirects_to(response, reverse("login"))
    former = get_user_model().objects.get(pk=actor.pk)
    assert (former.display_name, former.is_active) == ("a former member", False)
    assert former.email.endswith("@erased.invalid")
    assert not Membership.objects.current().filter(user=former).exists()
    assert "_auth_user_id" not in client.session


def own_data_done(w, actor, response, client, mail):
    assert response.status_code == 200
    assert "Your download is ready" in response.content.decode()
    assert DownloadLink.objects.filter(user=actor, used_at__isnull=True).count() == 1


def own_data_download_done(w, actor, response, client, mail):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(name.split("/")[1] for name in names) == ["data.json", "index.html"]
    assert not DownloadLink.objects.filter(user=actor, used_at__isnull=True).exists()


def _download_token(w, actor):
    return {"token": make_download_link(actor) if actor else "no-link"}


def delete_account_shows(w, role, actor):
    if role in ("coordinator", "other_coordinator"):
        # The only coordinator of their organisation: hand it on first, no form.
        return ["You are the only coordinator of this organisation."]
    return ["What goes", "a former member", 'name="password"']


ACCOUNT_PAGES = {
    "home": Page(shows=lambda w, role, actor: [actor.display_name, *group_names_for(w, role)]),
    "privacy": Page(shows=lambda w, role, actor: ["How long we keep it", "Your rights"]),
    "help": Page(shows=lambda w, role, actor: ["Samaritans", "999"]),
    "healthz": Page(shows=lambda w, role, actor: ["ok"]),
    "account": Page(
        post=lambda w, actor: {"display_name": "Renamed Person"},
        effect=account_done,
        shows=lambda w, role, actor: [actor.email, actor.display_name],
    ),
    "sign_out_everywhere": Page(effect=sign_out_everywhere_done),
    "own_data": Page(
        effect=own_data_done,
        shows=lambda w, role, actor: ["Download your data", "deliberately not in it"],
    ),
    "own_data_download": Page(post=_download_token, effect=own_data_download_done),
    "delete_account": Page(
        post=lambda w, actor: {"password": OLD_PASSWORD},
        effect=delete_account_done,
        shows=delete_account_shows,
    ),
    "login": Page(
        post=lambda w, actor: {"username": w.cast.peer.email, "password": OLD_PASSWORD},
        effect=login_done,
        shows=lambda w, role, actor: ["Sign in", "Email address"],
    ),
    "logout": Page(effect=logout_done),
    "password_change": Page(
        post=lambda w, actor: {
            "old_password": OLD_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        effect=password_change_done,
        shows=lambda w, role, actor: ['name="old_password"'],
    ),
    "password_change_done": Page(),
    "password_reset": Page(
        post=lambda w, actor: {"email": reset_email(actor, w)},
        effect=password_reset_done,
        shows=lambda w, role, actor: ["Reset your password"],
    ),
    "password_reset_done": Page(),
    "password_reset_confirm": Page(kwargs=reset_kwargs, effect=password_reset_confirm_done),
    "password_reset_complete": Page(),
    "invitation_accept": Page(
        kwargs=lambda w: {"token": ACCEPT_TOKEN},
        post=lambda w, actor: {
            "display_name": "Newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        effect=invitation_accept_done,
        # The link holder is told what they are joining.
        shows=lambda w, role, actor: [f"Join {w.cast.group_a.name}", NEWCOMER_EMAIL],
    ),
}
