from django.contrib import admin

from .models import Action, Answer, Assessment, Question, Template, Venue, VenueUse


class VenueUseInline(admin.TabularInline):
    model = VenueUse
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "archived_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name", "postcode"]
    inlines = [VenueUseInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "section", "applies_to", "need", "critical", "text"]


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["organisation", "version", "created"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = [
        "venue",
        "group",
        "submitted_at",
        "being_safe_score",
        "feeling_safe_score",
        "critical_flag",
    ]
    readonly_fields = ["being_safe_score", "feeling_safe_score", "critical_flag"]
    inlines = [AnswerInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["what", "venue", "owner", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["answer", "owner", "created_by"]
