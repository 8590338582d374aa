from django.contrib import admin
from django.urls import include, path, re_path

from buurtwacht.api import urls as api_urls

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/", api_urls.urls()),
    re_path(r"^api/(?P<rest>.*)$", api_urls.unknown_path),
    path("", include("buurtwacht.web.urls")),
]
