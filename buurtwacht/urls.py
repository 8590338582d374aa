from django.contrib import admin
from django.urls import include, path

from buurtwacht.api.urls import api

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("buurtwacht.web.urls")),
]
