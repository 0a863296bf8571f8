from django.contrib import admin

from .forms import AdminSignInForm
from .models import SignInThrottle


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    list_display = ["key", "failures", "blocked_until", "updated"]
    readonly_fields = ["key", "failures", "created", "updated"]


# The admin's sign-in page goes through the same throttle as the site's.
admin.site.login_form = AdminSignInForm
