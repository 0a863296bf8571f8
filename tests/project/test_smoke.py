from django.urls import reverse


def test_pages_render_for_cast(cast, client_for):
    c = client_for(cast.coordinator)
    for url in [
        reverse("dashboard", args=[cast.org_a.slug]),
        reverse("groups:list"),
        reverse("groups:organisation", args=[cast.org_a.slug]),
        reverse("groups:group_create", args=[cast.org_a.slug]),
        reverse("groups:coordinators", args=[cast.org_a.slug]),
        reverse("groups:detail", args=[cast.group_a.slug]),
        reverse("groups:edit", args=[cast.group_a.slug]),
        reverse("groups:members", args=[cast.group_a.slug]),
        reverse("groups:invitations", args=[cast.group_a.slug]),
        reverse("groups:archive", args=[cast.group_a.slug]),
        reverse("account"),
        reverse("help"),
    ]:
        response = c.get(url)
        assert response.status_code == 200, url
        assert b"Get help now" in response.content


def test_the_health_check_says_ok_and_keeps_nothing(db, client):
    from django.contrib.sessions.models import Session

    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert response["Content-Type"] == "text/plain"
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_the_health_check_says_when_the_database_is_gone(db, client, monkeypatch):
    from types import SimpleNamespace

    from django.db import DatabaseError

    from safespace.accounts import health

    def broken():
        raise DatabaseError("gone")

    monkeypatch.setattr(health, "connection", SimpleNamespace(cursor=broken))
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (503, b"database unavailable\n")


def test_the_health_check_says_when_the_task_queue_is_not_worked(db, client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from groups import notify

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get(reverse("healthz")).content == b"ok\n"
    notify.queue("Hello", "Body", ["someone@example.test"])
    assert client.get(reverse("healthz")).status_code == 200  # just queued
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=11))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"task queue: oldest task waiting 11 minutes\n"


def test_the_health_check_is_never_redirected_to_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("help")).status_code == 301
