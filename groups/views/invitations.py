from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import InvitationSignUpForm, InvitePeopleForm
from ..limits import LimitReached
from ..models import Invitation, InvitationProblem
from ..selectors import pending_invitations
from ..shortcuts import get_group


def _accept_url(request):
    return lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token]))


def group_invitations(request, slug):
    group = get_group(request, slug, "groups.invite_peer")
    pending = pending_invitations(organisation=group.organisation, group=group)
    may_invite_facilitators = request.user.has_perm("groups.invite_facilitator", group)
    # A group nobody facilitates yet, or is invited to: a facilitator is who to invite first.
    needs_facilitator = may_invite_facilitators and not (
        any(i.role == Invitation.Role.FACILITATOR for i in pending)
        or selectors.has_facilitator(group)
    )
    form = InvitePeopleForm(
        request.POST or None,
        may_invite_facilitators=may_invite_facilitators,
        pending_emails=[i.email for i in pending],
        initial={"role": Invitation.Role.FACILITATOR} if needs_facilitator else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                organisation=group.organisation,
                group=group,
                role=form.invitation_role,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                accept_url=_accept_url(request),
            )
        except LimitReached as limit:
            form.add_error(None, limit.message)
        else:
            messages.success(
                request,
                _("Invitation sent. The link works once and expires in %(days)d days.")
                % {"days": settings.INVITATION_DAYS},
            )
            return redirect("groups:invitations", slug=group.slug)
    return render(
        request,
        "groups/invitations.html",
        {
            "group": group,
            "form": form,
            "pending": pending,
        },
    )


@require_POST
def invitation_revoke(request, slug, invitation):
    group = get_group(request, slug, "groups.invite_peer")
    found = get_object_or_404(
        pending_invitations(organisation=group.organisation, group=group), uuid=invitation
    )
    services.revoke_invitation(found, by=request.user)
    messages.success(request, _("The invitation has been revoked. Its link no longer works."))
    return redirect("groups:invitations", slug=group.slug)


_PROBLEM_STATUS = {InvitationProblem.UNKNOWN: 404, InvitationProblem.WRONG_ACCOUNT: 403}


def _problem(request, code):
    return render(
        request,
        "groups/invitation_problem.html",
        {"code": code},
        status=_PROBLEM_STATUS.get(code, 410),
    )


def _after_acceptance(request, acceptance):
    invitation = acceptance.invitation
    if acceptance.already_member:
        messages.info(request, _("You were already a member, so nothing has changed."))
    else:
        messages.success(request, _("Welcome. You have joined."))
    if invitation.role == Invitation.Role.COORDINATOR:
        return redirect("groups:organisation", slug=invitation.organisation.slug)
    return redirect("groups:detail", slug=invitation.group.slug)


@login_not_required
def invitation_accept(request, token):
    """The page an invitation link opens. Public: the person may not have an account yet."""
    try:
        invitation = selectors.find_invitation(token)
    except InvitationProblem as problem:
        return _problem(request, problem.code)

    user = request.user
    context = {"invitation": invitation, "token": token}
    if user.is_authenticated:
        if user.email != invitation.email:
            return _problem(request, InvitationProblem.WRONG_ACCOUNT)
        if request.method == "POST":
            try:
                acceptance = services.accept_invitation(token=token, user=user)
            except InvitationProblem as problem:
                return _problem(request, problem.code)
            return _after_acceptance(request, acceptance)
        return render(request, "groups/invitation_accept.html", context)

    if get_user_model().objects.filter(email=invitation.email).exists():
        context["login_url"] = (
            f"{reverse('login')}?next={reverse('invitation_accept', args=[token])}"
        )
        return render(request, "groups/invitation_sign_in.html", context)

    form = InvitationSignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user, acceptance = services.sign_up_and_accept(
                token=token,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationProblem as problem:
            return _problem(request, problem.code)
        login(request, new_user, backend="groups.backends.UserBackend")
        return _after_acceptance(request, acceptance)
    context["form"] = form
    return render(request, "groups/invitation_sign_up.html", context)
