from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import accounts, home

urlpatterns = [
    path("", home.home, name="home"),
    path("account/registreren/", accounts.register, name="register"),
    path(
        "account/inloggen/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("account/uitloggen/", accounts.logout_view, name="logout"),
    path("account/", accounts.profile, name="profile"),
    path("account/e-mail/", accounts.change_email, name="change_email"),
    path("account/wachtwoord/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("account/mijn-gegevens.json", accounts.export_data, name="export_data"),
    path("account/verwijderen/", accounts.delete_account, name="delete_account"),
    path(
        "account/wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "account/wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/wachtwoord-herstellen/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
