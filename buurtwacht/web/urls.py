from django.contrib.auth import views as auth_views
from django.urls import path, re_path, reverse_lazy

from .views import accounts, alerts, groups, home
from .views import notify as notify_views

urlpatterns = [
    path("", home.home, name="home"),
    path("groepen/", groups.my_groups, name="my_groups"),
    path("groepen/nieuw/", groups.create_group, name="group_create"),
    path("groepen/<int:group_id>/", groups.group_page, name="group"),
    path("groepen/<int:group_id>/foto/", groups.group_photo, name="group_photo"),
    path("groepen/<int:group_id>/verlaten/", groups.leave, name="group_leave"),
    path("groepen/<int:group_id>/regels/", groups.accept_rules, name="group_accept_rules"),
    path("groepen/<int:group_id>/aanvragen/", groups.requests_queue, name="group_requests"),
    path(
        "groepen/<int:group_id>/aanvragen/<int:request_id>/",
        groups.decide,
        name="group_decide",
    ),
    path("groepen/<int:group_id>/leden/", groups.members_admin, name="group_members"),
    path(
        "groepen/<int:group_id>/leden/<int:user_id>/",
        groups.member_action,
        name="group_member_action",
    ),
    path("groepen/<int:group_id>/instellingen/", groups.settings_page, name="group_settings"),
    path("groepen/<int:group_id>/logboek/", groups.audit_log, name="group_audit"),
    path("groepen/<int:group_id>/privacy/", groups.privacy_page, name="group_privacy"),
    path(
        "groepen/<int:group_id>/privacy/ledenlijst.csv",
        groups.member_register,
        name="group_member_register",
    ),
    path("groepen/<int:group_id>/meldingen/", alerts.post_alert, name="alert_post"),
    path("groepen/<int:group_id>/chat/", alerts.post_chat, name="chat_post"),
    path("groepen/<int:group_id>/meldingen/eerder/", groups.alert_history, name="alert_history"),
    path("meldingen/<int:alert_id>/", alerts.alert_card, name="alert_card"),
    path("meldingen/foto/<int:photo_id>/", alerts.alert_photo, name="alert_photo"),
    path(
        "meldingen/foto/<int:photo_id>/klein/",
        alerts.alert_photo,
        {"thumbnail": True},
        name="alert_photo_thumbnail",
    ),
    re_path(
        r"^meldingen/(?P<alert_id>[0-9]+)/bellen/(?P<channel>112|0900-8844)/$",
        alerts.claim,
        name="alert_claim",
    ),
    re_path(
        r"^meldingen/(?P<alert_id>[0-9]+)/reactie/(?P<kind>seen|going)/$",
        alerts.acknowledge,
        name="alert_ack",
    ),
    path("meldingen/<int:alert_id>/aanvulling/", alerts.add_update, name="alert_update"),
    path("meldingen/<int:alert_id>/afsluiten/", alerts.close, name="alert_close"),
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
    path("account/meldingen/", notify_views.preferences, name="notify_preferences"),
    path("account/meldingen/push/", notify_views.push_subscription, name="push_subscribe"),
    path(
        "account/meldingen/push/verwijderen/",
        notify_views.push_unsubscribe,
        name="push_unsubscribe",
    ),
    path("manifest.webmanifest", notify_views.manifest, name="manifest"),
    path("icon-<int:size>.png", notify_views.icon, name="app_icon"),
    path("sw.js", notify_views.service_worker, name="service_worker"),
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
