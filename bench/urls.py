"""The project's URLs plus a bare page: base.html with no data, the floor to compare with."""

from django.shortcuts import render
from django.urls import include, path


def floor(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("safespace.urls")),
]
