"""The e-mails of registration: the link that confirms a new account, and what the owner of
an address that already has an account hears when someone registers with it."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode

from .actions import RegistrationOutcome
from .models import User


def _confirm_link(*, request: HttpRequest, user: User, next_url: str) -> str:
    path = reverse(
        "confirm_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    if next_url:
        path += "?" + urlencode({"next": next_url})
    return request.build_absolute_uri(path)


def send_registration_mail(
    *, request: HttpRequest, outcome: RegistrationOutcome, next_url: str
) -> None:
    user = outcome.user
    if user.email_confirmed_at is None:  # new, or registered before and never confirmed
        template = "accounts/emails/confirm"
        context = {
            "user": user,
            "link": _confirm_link(request=request, user=user, next_url=next_url),
        }
    else:
        template = "accounts/emails/already_registered"
        context = {
            "user": user,
            "login": request.build_absolute_uri(reverse("login")),
            "reset": request.build_absolute_uri(reverse("password_reset")),
        }
    send_mail(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        message=render_to_string(f"{template}.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_for_token(*, uidb64: str, token: str) -> User | None:
    """The unconfirmed account a confirmation link is for, if the link is valid."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=user_id, email_confirmed_at__isnull=True, deleted_at=None).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user
