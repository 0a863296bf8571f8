"""The accessibility check itself: axe_check must fail on a page that breaks WCAG 2.2 A/AA."""

import pytest


def test_axe_check_finds_violations(page, axe_check):
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><img src="data:,"><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError) as refused:
        axe_check(page)
    assert "image-alt" in str(refused.value)  # an image without a text alternative
    assert "label" in str(refused.value)  # a field without a label


def test_axe_check_passes_a_clean_page(page, axe_check):
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Fine</title></head>'
        '<body><main><h1>Fine</h1><img src="data:," alt="A dot">'
        '<label for="name">Name</label><input id="name" type="text"></main></body></html>'
    )
    results = axe_check(page)
    assert results["passes"], "axe ran no rules"
