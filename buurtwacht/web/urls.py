from django.contrib.auth import views as auth_views
from django.urls import path, re_path, register_converter, reverse_lazy

from buurtwacht.bulletin.feeds import GroupNoticesFeed
from buurtwacht.core.countries import MUNICIPALITY_CODE_PATTERN

from .converters import TokenConverter
from .views import (
    accounts,
    alerts,
    bulletin,
    forwards,
    groups,
    home,
    moderation,
    municipality,
    police,
    recruiting,
    register,
    signage,
    verification,
)
from .views import notify as notify_views

# Every token or code in a path goes through this converter (no `str`: see converters.py).
register_converter(TokenConverter, "token")

urlpatterns = [
    path("", home.home, name="home"),
    path("zoeken/", register.search_page, name="register_search"),
    path("kaart/", register.map_page, name="register_map"),
    path("kaart/gemeente/<token:code>/", register.municipality_page, name="register_municipality"),
    path("kaart/groep/<int:group_id>/", register.public_group, name="register_group"),
    path("kaart/groep/<int:group_id>/foto/", register.public_photo, name="register_photo"),
    path("kaart/groep/<int:group_id>/berichten.atom", GroupNoticesFeed(), name="bulletin_feed"),
    path("kaart/groep/<int:group_id>/nieuwsbrief/", bulletin.subscribe, name="bulletin_subscribe"),
    path("nieuwsbrief/bevestigen/<token:token>/", bulletin.confirm, name="bulletin_confirm"),
    path("nieuwsbrief/afmelden/<token:token>/", bulletin.unsubscribe, name="bulletin_unsubscribe"),
    path("groepen/<int:group_id>/berichten/", bulletin.notices, name="group_notices"),
    path(
        "groepen/<int:group_id>/berichten/<int:notice_id>/intrekken/",
        bulletin.withdraw,
        name="group_notice_withdraw",
    ),
    path("kaart/widget/<token:code>/", register.widget, name="register_widget"),
    path("groepen/", groups.my_groups, name="my_groups"),
    path("account/start/", groups.after_login, name="after_login"),
    path("wijkagent/uitnodiging/<token:token>/", groups.wijkagent_accept, name="wijkagent_accept"),
    path("groepen/nieuw/", groups.create_group, name="group_create"),
    path("groepen/gebied/", groups.street_area, name="group_street_area"),
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
    path("groepen/<int:group_id>/werven/", recruiting.recruit, name="group_recruit"),
    path("groepen/<int:group_id>/werven/flyer.pdf", recruiting.flyer, name="group_flyer"),
    path("doe-mee/<token:token>/", recruiting.share_link, name="share_link"),
    path("groepen/<int:group_id>/moderatie/", moderation.queue, name="group_moderation"),
    path(
        "groepen/<int:group_id>/moderatie/<int:record_id>/laten-staan/",
        moderation.let_stand,
        name="moderation_let_stand",
    ),
    path("chat/<int:message_id>/verbergen/", moderation.hide_chat, name="chat_hide"),
    path("chat/<int:message_id>/melden/", moderation.report_chat, name="chat_report"),
    path("meldingen/<int:alert_id>/verbergen/", moderation.hide_alert, name="alert_hide"),
    path("meldingen/<int:alert_id>/naar-chat/", moderation.move_to_chat, name="alert_move"),
    path("aanvullingen/<int:update_id>/verbergen/", moderation.hide_update, name="update_hide"),
    path("meldingen/<int:alert_id>/melden/", moderation.report_alert, name="alert_report"),
    path("groepen/<int:group_id>/privacy/", groups.privacy_page, name="group_privacy"),
    path(
        "groepen/<int:group_id>/privacy/ledenlijst.csv",
        groups.member_register,
        name="group_member_register",
    ),
    path("groepen/<int:group_id>/borden/", signage.group_signs, name="group_signs"),
    path("gemeente/", municipality.dashboard, name="municipality_dashboard"),
    re_path(
        rf"^gemeente/(?P<code>{MUNICIPALITY_CODE_PATTERN})/$",
        municipality.dashboard,
        name="municipality_code",
    ),
    re_path(
        rf"^gemeente/(?P<code>{MUNICIPALITY_CODE_PATTERN})/statistieken\.csv$",
        municipality.statistics_csv,
        name="municipality_csv",
    ),
    path(
        "gemeente/groepen/<int:group_id>/bericht/",
        municipality.message,
        name="municipality_message",
    ),
    path(
        "gemeente/borden/<int:request_id>/",
        municipality.sign_request_page,
        name="municipality_sign",
    ),
    path(
        "gemeente/borden/<int:request_id>/aanvraag.pdf",
        municipality.sign_request_document,
        name="municipality_sign_pdf",
    ),
    path("politie/statistieken/", municipality.police_statistics, name="police_statistics"),
    path(
        "politie/statistieken.csv", municipality.police_statistics_csv, name="police_statistics_csv"
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
    path("meldingen/<int:alert_id>/doorsturen/", forwards.forward, name="alert_forward"),
    path("doorgestuurd/<int:forward_id>/", forwards.decide, name="forward_decide"),
    path("meldingen/<int:alert_id>/politie/", police.report_on_alert, name="police_report_alert"),
    path("groepen/<int:group_id>/politie/", police.group_reports, name="police_reports"),
    path(
        "politie/meldingen/<int:report_id>/terugkoppeling/", police.feedback, name="police_feedback"
    ),
    path(
        "politie/meldingen/<int:report_id>/wijkagent-gebeld/",
        police.wijkagent_called,
        name="police_called",
    ),
    path("account/verificatie/", verification.request_page, name="verification"),
    path(
        "account/verificatie/bevestigen/<token:token>/",
        verification.confirm,
        name="verification_confirm",
    ),
    path("platformbeheer/verificatie/", verification.staff_page, name="staff_verification"),
    path(
        "platformbeheer/verificatie/aanvragen/<int:request_id>/",
        verification.decide,
        name="staff_verification_decide",
    ),
    path(
        "platformbeheer/verificatie/rollen/<int:verification_id>/intrekken/",
        verification.revoke,
        name="staff_verification_revoke",
    ),
    # Django's language switch, which also remembers a logged-in person's choice.
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("account/registreren/", accounts.register, name="register"),
    path(
        "account/bevestigen/<token:uidb64>/<token:token>/",
        accounts.confirm_email,
        name="confirm_email",
    ),
    path(
        "account/inloggen/",
        accounts.LoginView.as_view(),
        name="login",
    ),
    path("account/uitloggen/", accounts.logout_view, name="logout"),
    path("account/", accounts.profile, name="profile"),
    path("account/e-mail/", accounts.change_email, name="change_email"),
    path("account/adres/", accounts.change_address, name="change_address"),
    path("account/wachtwoord/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("account/mijn-gegevens.json", accounts.export_data, name="export_data"),
    path("account/verwijderen/", accounts.delete_account, name="delete_account"),
    path("account/meldingen/", notify_views.preferences, name="notify_preferences"),
    path(
        "account/meldingen/push/verwijderen/",
        notify_views.push_remove_all,
        name="push_remove_all",
    ),
    path("manifest.webmanifest", notify_views.manifest, name="manifest"),
    path("icon-<int:size>.png", notify_views.icon, name="app_icon"),
    path("sw.js", notify_views.service_worker, name="service_worker"),
    path("offline/", notify_views.offline, name="offline"),
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
        "account/wachtwoord-herstellen/<token:uidb64>/<token:token>/",
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
