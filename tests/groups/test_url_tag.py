"""{% url %} remembers the addresses it has worked out (groups/url_tag.py): the same
address as Django's reverse() for every kind of argument, never another's."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils.translation import gettext_lazy

from groups.url_tag import RememberedURLNode, _address


def render(source, **values):
    return Template(source).render(Context(values))


@pytest.fixture(autouse=True)
def forgotten():
    _address.cache_clear()
    yield
    _address.cache_clear()
    set_script_prefix("/")


def test_every_template_uses_the_remembering_tag():
    template = Template("{% url 'home' %}")
    assert [type(n) for n in template.nodelist] == [RememberedURLNode]


def test_each_address_is_reverses_for_its_own_arguments():
    key = uuid.uuid4()
    cases = [
        ("{% url 'home' %}", {}, reverse("home")),
        ("{% url 'groundrules:home' slug %}", {"slug": "wednesday"}, None),
        ("{% url 'groundrules:version' slug n %}", {"slug": "wednesday", "n": 2}, None),
        ("{% url 'venues:assessment' slug key %}", {"slug": "carers", "key": key}, None),
        ("{% url 'venues:assessment' slug=slug assessment=key %}", {"slug": "b", "key": key}, None),
    ]
    expected = [
        reverse("home"),
        reverse("groundrules:home", args=["wednesday"]),
        reverse("groundrules:version", args=["wednesday", 2]),
        reverse("venues:assessment", args=["carers", key]),
        reverse("venues:assessment", kwargs={"slug": "b", "assessment": key}),
    ]
    for _ in range(2):  # worked out, then remembered
        for (source, values, _e), address in zip(cases, expected, strict=True):
            assert render(source, **values) == address
    # Another group's address is its own, not the one remembered first.
    assert render("{% url 'groundrules:home' slug %}", slug="thursday") == reverse(
        "groundrules:home", args=["thursday"]
    )
    assert _address.cache_info().hits >= len(cases)


def test_true_is_not_taken_for_one_nor_a_lazy_string_remembered():
    source = "{% url 'groundrules:version' slug n %}"
    assert render(source, slug="w", n=1) == reverse("groundrules:version", args=["w", 1])
    with pytest.raises(NoReverseMatch):
        render(source, slug="w", n=True)
    lazy = gettext_lazy("wednesday")
    assert render("{% url 'groundrules:home' slug %}", slug=lazy) == reverse(
        "groundrules:home", args=["wednesday"]
    )


def test_as_a_variable_and_refused_as_django_does():
    assert render("{% url 'nowhere' as there %}[{{ there }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'nowhere' %}")


def test_an_address_under_another_script_prefix_is_worked_out_again():
    plain = render("{% url 'home' %}")
    set_script_prefix("/safespace/")
    assert render("{% url 'home' %}") == "/safespace" + plain == reverse("home")
