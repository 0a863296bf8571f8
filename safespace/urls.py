from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from groups.views.invitations import invitation_accept

from .forms import SignInForm
from .views import dashboard, pages, safety, trends

urlpatterns = [
    path("", pages.home, name="home"),
    path("help/", pages.get_help, name="help"),
    path("account/", pages.account, name="account"),
    path("organisations/<slug:slug>/dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("organisations/<slug:slug>/dashboard.csv", dashboard.export_csv, name="dashboard_csv"),
    path(
        "organisations/<slug:slug>/dashboard/print/", dashboard.print_view, name="dashboard_print"
    ),
    path("organisations/<slug:slug>/trends/", trends.trends_page, name="trends"),
    path("groups/<slug:slug>/safety/", safety.safety_page, name="safety"),
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
