from django.http import Http404
from django.urls import reverse

from .. import selectors


def get_version(group, number):
    version = selectors.version_with_rules(group, number)
    if version is None:
        raise Http404
    return version


def absolute(request, name, group, *args):
    return request.build_absolute_uri(reverse(name, args=[group.slug, *args]))
