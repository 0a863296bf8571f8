"""Keeping a list of help: an organisation's (its coordinators) and a group's (its
facilitators and the coordinators). Shown on "Get help now"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..conflicts import EditConflict, conflict_page
from ..forms import HelpServiceForm
from ..models import HelpService
from ..selectors import help_services_of
from ..shortcuts import get_group, get_organisation


def _owner(request, slug, scope):
    """(group, organisation) the URL names, as the user may keep its list."""
    if scope == "group":
        group = get_group(request, slug, "groups.keep_help_list")
        return group, group.organisation, help_services_of(group=group)
    organisation = get_organisation(request, slug)
    return None, organisation, help_services_of(organisation=organisation)


def _list_url(scope, slug):
    return ("groups:help_list" if scope == "group" else "groups:org_help_list"), slug


def help_list(request, slug, scope="group"):
    group, organisation, services_qs = _owner(request, slug, scope)
    owner = {"group": group} if group else {"organisation": organisation}
    form = HelpServiceForm(request.POST or None, instance=HelpService(**owner))
    if request.method == "POST" and form.is_valid():
        services.save_help_service(form.instance)
        messages.success(request, _("The service has been added to the list."))
        name, arg = _list_url(scope, slug)
        return redirect(name, slug=arg)
    return render(
        request,
        "groups/help_list.html" if scope == "group" else "groups/org_help_list.html",
        {
            "group": group,
            "organisation": organisation,
            "scope": scope,
            "services": services_qs,
            "form": form,
        },
    )


def help_edit(request, slug, service, scope="group"):
    group, organisation, services_qs = _owner(request, slug, scope)
    found = get_object_or_404(services_qs, uuid=service)
    form = HelpServiceForm(request.POST or None, instance=found)
    name, arg = _list_url(scope, slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_help_service(
                service=found,
                fields={field: form.cleaned_data[field] for field in HelpServiceForm.Meta.fields},
                base=form.cleaned_data["base"],
                by=request.user,
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                context={"group": group, "base_template": None if group else "base.html"},
                back_url=reverse(name, args=[arg]),
            )
        messages.success(request, _("Your changes have been saved."))
        return redirect(name, slug=arg)
    return render(
        request,
        "groups/help_form.html",
        {
            "group": group,
            "organisation": organisation,
            "scope": scope,
            "service": found,
            "form": form,
        },
    )


@require_POST
def help_remove(request, slug, service, scope="group"):
    _group, _organisation, services_qs = _owner(request, slug, scope)
    found = get_object_or_404(services_qs, uuid=service)
    services.remove_help_service(found)
    messages.success(request, _("The service has been removed from the list."))
    name, arg = _list_url(scope, slug)
    return redirect(name, slug=arg)
