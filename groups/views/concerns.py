"""Telling someone privately: a member's named message to the group's facilitators or
the organisation's coordinators, and the pages where they read and follow it up."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..forms import ConcernForm, FollowUpForm
from ..limits import LimitReached
from ..models import Concern
from ..selectors import concern_recipients, concerns_for_user
from ..shortcuts import get_group


def concern_new(request, slug):
    group = get_group(request, slug, "groups.send_concern")
    recipients = {
        to: [p for p in concern_recipients(group, to) if p.pk != request.user.pk]
        for to in Concern.To.values
    }
    form = ConcernForm(request.POST or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_concern(
                group=group,
                sender=request.user,
                to=form.cleaned_data["to"],
                text=form.cleaned_data["text"],
                link=lambda concern: request.build_absolute_uri(
                    reverse("groups:concern", args=[group.slug, concern.uuid])
                ),
            )
        except (LimitReached, services.ConcernProblem) as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(
                request,
                _(
                    "Your message has been sent. The people you chose have been told by email "
                    "that a message is waiting for them."
                ),
            )
            return redirect("groups:detail", slug=group.slug)
    return render(
        request,
        "groups/concern_form.html",
        {"group": group, "form": form, "nobody": not form.fields["to"].choices},
    )


def concern_list(request, slug):
    group = get_group(request, slug, "groups.view_concerns")
    concerns = list(concerns_for_user(request.user).filter(group=group))
    return render(
        request,
        "groups/concern_list.html",
        {
            "group": group,
            "open": [c for c in concerns if c.is_open],
            "followed_up": [c for c in concerns if not c.is_open],
        },
    )


def concern_detail(request, slug, concern):
    group = get_group(request, slug)
    found = get_object_or_404(concerns_for_user(request.user).filter(group=group), uuid=concern)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and found.is_open and form.is_valid():
        if services.follow_up_concern(
            concern=found, by=request.user, note=form.cleaned_data["note"]
        ):
            messages.success(request, _("Marked as followed up. Thank you."))
        else:
            messages.info(request, _("Someone else had already marked it as followed up."))
        return redirect("groups:concerns", slug=group.slug)
    return render(
        request, "groups/concern_detail.html", {"group": group, "concern": found, "form": form}
    )
