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
