"""Your data, your rights, in a real browser: the privacy page from the footer; a peer
downloads their data, reads what leaving a group would mean, and deletes their account;
a coordinator reads the audit trail. Every page passes axe and fits a phone and a
desktop without scrolling sideways.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.builders import adopt, group, make_organisation, make_user

from .conftest import DESKTOP, PASSWORD, PHONE, no_sideways_scroll, screenshot


@pytest.fixture
def riverside(transactional_db):
    organisation = make_organisation("Riverside Peer Support")
    cora = make_user("Cora", "cora@riverside.test", password=PASSWORD)
    dan = make_user("Dan", "dan@riverside.test", password=PASSWORD)
    organisation.coordinators.create(user=cora)
    organisation.coordinators.create(user=dan)
    fay = make_user("Fay", "fay@riverside.test", password=PASSWORD)
    sam = make_user("Sam Quill", "sam@riverside.test", password=PASSWORD)
    circle = group(organisation, "Thursday Circle", facilitators=[fay], peers=[sam])
    adopt(circle, fay, ["We keep what is said here in the room."], agreeing=[fay, sam])
    return {"organisation": organisation, "circle": circle, "cora": cora, "sam": sam}


def _look(page, name, axe_check):
    axe_check(page)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        no_sideways_scroll(page, name)
        screenshot(page, name)


@pytest.mark.browser
def test_a_peer_downloads_their_data_then_deletes_their_account(
    live_server, page, riverside, sign_in, axe_check
):
    sign_in(page, "sam@riverside.test")
    page.get_by_role("link", name="Privacy: what we keep and for how long").click()
    expect(page.get_by_role("heading", name="How long we keep it")).to_be_visible()
    _look(page, "privacy", axe_check)

    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Download your data").click()
    _look(page, "own-data", axe_check)
    page.get_by_role("button", name="Prepare my download").click()
    expect(page.get_by_role("heading", name="Your download is ready")).to_be_visible()
    _look(page, "own-data-ready", axe_check)
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download (zip file)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(waiting.value.path()).read_bytes()))
    data_file = next(name for name in archive.namelist() if name.endswith("data.json"))
    data = json.loads(archive.read(data_file))
    assert data["account"]["display_name"] == "Sam Quill"

    page.goto(f"{live_server.url}/groups/{riverside['circle'].slug}/leave/")
    expect(page.get_by_role("heading", name="What stays with the group")).to_be_visible()
    _look(page, "leave-group", axe_check)

    page.goto(f"{live_server.url}/account/delete/")
    _look(page, "delete-account", axe_check)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account has been deleted.")).to_be_visible()
    axe_check(page)


@pytest.mark.browser
def test_a_coordinator_reads_and_filters_the_audit_trail(
    live_server, page, riverside, sign_in, axe_check
):
    sign_in(page, "cora@riverside.test")
    page.goto(f"{live_server.url}/organisations/{riverside['organisation'].slug}/")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("rowheader", name="Ground rules adopted Version 1")).to_be_visible()
    _look(page, "audit-trail", axe_check)
    page.get_by_label("What happened").select_option("breach_log_read")
    page.get_by_role("button", name="Show entries").click()
    expect(page.get_by_text("Nothing matches.")).to_be_visible()
    axe_check(page)
