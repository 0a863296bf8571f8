from django.urls import path

from .views import answering, assessments, group, library, questions

app_name = "venues"

G = "groups/<slug:slug>/"
ORG = "organisations/<slug:slug>/"

urlpatterns = [
    path(ORG + "venues/", library.library, name="library"),
    path(ORG + "venues/new/", library.venue_new, name="venue_new"),
    path(ORG + "questions/", questions.question_list, name="questions"),
    path(ORG + "questions/new/", questions.question_add, name="question_add"),
    path(ORG + "questions/<slug:key>/edit/", questions.question_edit, name="question_edit"),
    path(ORG + "questions/<slug:key>/retire/", questions.question_retire, name="question_retire"),
    path(ORG + "questions/<slug:key>/move/", questions.question_move, name="question_move"),
    path("venues/<uuid:venue>/", library.venue_detail, name="venue"),
    path("venues/<uuid:venue>/edit/", library.venue_edit, name="venue_edit"),
    path("venues/<uuid:venue>/compare/", library.compare, name="compare"),
    path(G + "venues/", group.group_venues, name="group"),
    path(G + "venues/choose/", group.choose_venues, name="choose"),
    path(G + "venues/new/", group.add_venue, name="venue_add"),
    path(G + "venues/<uuid:venue>/assess/", group.start_assessment, name="start"),
    path(G + "venues/<uuid:venue>/feeling-safe/", group.feedback, name="feedback"),
    path(
        G + "venues/<uuid:venue>/feeling-safe/results/",
        group.feedback_results,
        name="feedback_results",
    ),
    path(G + "assessments/<uuid:assessment>/", assessments.assessment, name="assessment"),
    path(G + "assessments/<uuid:assessment>/print/", assessments.print_assessment, name="print"),
    path(G + "assessments/<uuid:assessment>/submit/", assessments.submit, name="submit"),
    path(G + "assessments/<uuid:assessment>/reopen/", assessments.reopen, name="reopen"),
    path(
        G + "assessments/<uuid:assessment>/questions/<slug:question>/answer/",
        answering.answer,
        name="answer",
    ),
    path(
        G + "assessments/<uuid:assessment>/questions/<slug:question>/action/",
        assessments.action_new,
        name="action_new",
    ),
    path(G + "assessments/<uuid:assessment>/<slug:section>/", answering.section, name="section"),
    path(G + "actions/<uuid:action>/", assessments.action_detail, name="action"),
]
