from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from groups.views.invitations import invitation_accept

from .accounts.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("safespace.dashboard.urls")),
    path("", include("safespace.accounts.urls")),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
    path("", include("groups.urls")),
    path("", include("groundrules.urls")),
    path("", include("venues.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler500 = "safespace.accounts.errors.server_error"
