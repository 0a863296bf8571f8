from django.urls import path

from .views import dashboard, pages, safety, session, trends

urlpatterns = [
    path("", pages.home, name="home"),
    path("help/", pages.get_help, name="help"),
    path("organisations/<slug:slug>/dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("organisations/<slug:slug>/dashboard.csv", dashboard.export_csv, name="dashboard_csv"),
    path(
        "organisations/<slug:slug>/dashboard/print/", dashboard.print_view, name="dashboard_print"
    ),
    path("organisations/<slug:slug>/trends/", trends.trends_page, name="trends"),
    path("groups/<slug:slug>/safety/", safety.safety_page, name="safety"),
    path("groups/<slug:slug>/session-card/", session.session_card, name="session_card"),
    path(
        "groups/<slug:slug>/session-card/print/",
        session.session_card_print,
        name="session_card_print",
    ),
]
