from django.contrib import admin
from django.urls import include, path, re_path

from buurtwacht.accounts.forms import AdminLoginForm
from buurtwacht.api import urls as api_urls

admin.site.login_form = AdminLoginForm  # per account slowed down, as the site's login

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/", api_urls.urls()),
    re_path(r"^api/(?P<rest>.*)$", api_urls.unknown_path),
    path("", include("buurtwacht.web.urls")),
]
