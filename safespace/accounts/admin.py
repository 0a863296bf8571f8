from django.contrib import admin

from .models import SignInThrottle


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    list_display = ["key", "failures", "blocked_until", "updated"]
    readonly_fields = ["key", "failures", "created", "updated"]
