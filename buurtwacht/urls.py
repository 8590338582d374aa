from django.contrib import admin
from django.urls import include, path, re_path

from buurtwacht.api.urls import api, unknown_path

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_path),
    path("", include("buurtwacht.web.urls")),
]
