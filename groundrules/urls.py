from django.urls import path

from .views import drafting, proposals, reading, reviews, rounds

app_name = "groundrules"

P = "groups/<slug:slug>/rules/"

urlpatterns = [
    path(P, reading.rules_home, name="home"),
    path(P + "versions/", reading.version_list, name="versions"),
    path(P + "versions/<int:number>/", reading.version_detail, name="version"),
    path(P + "compare/", reading.compare, name="compare"),
    path(P + "print/", reading.print_rules, name="print"),
    path(P + "handout/", reading.handout, name="handout"),
    path(P + "start/", drafting.getting_started, name="start"),
    path(P + "starters/", drafting.starters, name="starters"),
    path(P + "draft/", drafting.draft, name="draft"),
    path(P + "draft/new/", drafting.start_draft, name="draft_new"),
    path(P + "draft/add/", drafting.rule_add, name="rule_add"),
    path(P + "draft/<uuid:rule>/edit/", drafting.rule_edit, name="rule_edit"),
    path(P + "draft/<uuid:rule>/delete/", drafting.rule_delete, name="rule_delete"),
    path(P + "draft/<uuid:rule>/move/", drafting.rule_move, name="rule_move"),
    path(P + "proposals/", proposals.proposal_list, name="proposals"),
    path(P + "proposals/new/", proposals.proposal_new, name="proposal_new"),
    path(P + "proposals/<uuid:proposal>/", proposals.proposal_detail, name="proposal"),
    path(
        P + "proposals/<uuid:proposal>/comment/",
        proposals.proposal_comment,
        name="proposal_comment",
    ),
    path(
        P + "proposals/<uuid:proposal>/decide/", proposals.proposal_decide, name="proposal_decide"
    ),
    path(P + "versions/<int:number>/open/", rounds.round_open, name="round_open"),
    path(P + "versions/<int:number>/round/", rounds.tracker, name="tracker"),
    path(P + "versions/<int:number>/answer/", rounds.answer, name="answer"),
    path(P + "versions/<int:number>/remind/", rounds.remind, name="remind"),
    path(P + "versions/<int:number>/adopt/", rounds.adopt, name="adopt"),
    path(P + "versions/<int:number>/withdraw/", rounds.withdraw, name="withdraw"),
    path(
        P + "versions/<int:number>/talk/<uuid:talk>/done/",
        rounds.talked_about,
        name="talked_about",
    ),
    path(P + "reviews/", reviews.review_list, name="reviews"),
    path(P + "reviews/new/", reviews.review_new, name="review_new"),
    path(P + "reviews/<uuid:review>/", reviews.review_detail, name="review"),
    path(P + "breaches/", reviews.breach_list, name="breaches"),
    path(P + "breaches/<uuid:breach>/delete/", reviews.breach_delete, name="breach_delete"),
]
