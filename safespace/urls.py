from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from groups.views.invitations import invitation_accept

from . import views
from .forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.get_help, name="help"),
    path("account/", views.account, name="account"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
    path("", include("groups.urls")),
    path("", include("groundrules.urls")),
    path("", include("venues.urls")),
    path("admin/", admin.site.urls),
]
