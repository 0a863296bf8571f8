from django.contrib import admin

from .models import Agreement, Proposal, ProposalComment, Rule, Rulebook, Version


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["position", "text", "category", "if_broken"]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = ["group", "number", "status", "round_opened_at", "closed_at"]
    list_filter = ["status"]
    readonly_fields = ["content_hash", "created", "updated"]
    inlines = [RuleInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["version", "user", "answer", "updated"]
    list_filter = ["answer"]
    raw_id_fields = ["user", "version"]


class CommentInline(admin.TabularInline):
    model = ProposalComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["group", "kind", "status", "created"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["proposed_by", "decided_by"]
    inlines = [CommentInline]


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin):
    list_display = ["group", "want_rules", "review_every_months"]
