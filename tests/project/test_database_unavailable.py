"""When the database cannot be reached (a restart, a failover), every page answers 503
with Retry-After and says in plain words to try again: not "something went wrong"."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse

from groups.models import Concern


@pytest.fixture
def peer(cast, client_for):
    client = client_for(cast.peer)
    client.raise_request_exception = False
    return client


def _gone(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def _says_try_again(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert response["Cache-Control"] == "no-store, private"
    text = response.content.decode()
    assert "<h1>SafeSpace is not available for a moment</h1>" in text
    assert "it may not have been saved" in text
    assert "call 999" in text


# Each patch is undone inside the test, before the test database is checked and rolled back.


def test_a_page_whose_queries_fail_answers_503(peer, cast, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", _gone)
        response = peer.get(reverse("groups:detail", args=[cast.group_a.slug]))
    _says_try_again(response)


def test_a_session_that_cannot_be_read_answers_503_before_any_view(peer, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(SessionStore, "load", _gone)
        response = peer.get(reverse("groups:list"))
    _says_try_again(response)


def test_a_save_that_fails_on_the_database_says_it_may_not_be_saved(peer, cast, monkeypatch):
    page = reverse("groups:concern_new", args=[cast.group_a.slug])
    peer.get(page)
    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", _gone)
        response = peer.post(page, {"to": "facilitators", "text": "Please call me."})
    _says_try_again(response)
    assert not Concern.objects.exists()


def test_any_other_error_is_still_the_500_page(peer, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(SessionStore, "load", lambda self: 1 / 0)
        response = peer.get(reverse("groups:list"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "<h1>Something went wrong</h1>" in response.content.decode()
