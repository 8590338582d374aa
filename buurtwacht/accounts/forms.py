"""Forms parse and validate; they never write (see actions.py)."""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from buurtwacht.core import clock, ratelimit
from buurtwacht.core.errors import ActionError
from buurtwacht.geo.geocoding import (
    AddressQuery,
    AmbiguousAddress,
    GeocodedAddress,
    GeocoderUnavailable,
    belgium_served,
    get_geocoder,
    normalize_addition,
    normalize_letter,
    normalize_postcode,
)

from .age import check_date_of_birth
from .models import User, normalize_email, normalized_login


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AddressFields(forms.Form):
    """Postcode + house number (+ letter/addition), resolved through the geocoder."""

    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "placeholder": "9712 KB"}),
    )
    house_number = forms.IntegerField(label=_("House number"), min_value=1, max_value=99999)
    house_letter = forms.CharField(label=_("Letter"), max_length=1, required=False)
    house_addition = forms.CharField(label=_("Addition"), max_length=4, required=False)
    # Only where Belgium is served: a Belgian postcode covers a town, where several
    # streets may have the same number (geo/geocoding.py AmbiguousAddress).
    street = forms.CharField(
        label=_("Street (Belgium)"),
        max_length=200,
        required=False,
        help_text=_("Needed when your postcode has this house number in several streets."),
    )

    address: GeocodedAddress | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not belgium_served():
            del self.fields["street"]

    def resolved_address(self) -> GeocodedAddress:
        """The geocoded address of a valid form."""
        if self.address is None:
            raise ValueError("resolved_address() is only available on a valid form")
        return self.address

    def clean_postcode(self) -> str:
        postcode = normalize_postcode(self.cleaned_data["postcode"])
        if postcode is None and belgium_served():
            raise forms.ValidationError(
                _(
                    "Enter a valid postcode: in the Netherlands four digits and two letters "
                    "(9712 KB), in Belgium four digits (9000)."
                ),
                code="invalid_postcode",
            )
        if postcode is None:
            raise forms.ValidationError(
                _("Enter a valid Dutch postcode: four digits and two letters, e.g. 9712 KB."),
                code="invalid_postcode",
            )
        return postcode

    def clean_house_letter(self) -> str:
        letter = normalize_letter(self.cleaned_data["house_letter"])
        if letter and not letter.isalpha():
            raise forms.ValidationError(_("A house letter is a single letter."), code="letter")
        return letter

    def clean_house_addition(self) -> str:
        return normalize_addition(self.cleaned_data["house_addition"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:  # only ask the geocoder for a well-formed address
            return cleaned
        query = AddressQuery(
            postcode=cleaned["postcode"],
            number=cleaned["house_number"],
            letter=cleaned.get("house_letter", ""),
            addition=cleaned.get("house_addition", ""),
            street=cleaned.get("street", ""),
        )
        try:
            self.address = get_geocoder().lookup(query)
        except AmbiguousAddress as ambiguous:
            raise forms.ValidationError(
                _(
                    "This house number is in several streets of %(postcode)s: %(streets)s. "
                    "Fill in your street."
                )
                % {"postcode": query.postcode, "streets": ", ".join(ambiguous.streets)},
                code="address_ambiguous",
            ) from ambiguous
        except GeocoderUnavailable as exc:
            raise forms.ValidationError(
                _(
                    "The address service cannot be reached right now. "
                    "Please try again in a few minutes."
                ),
                code="geocoder_unavailable",
            ) from exc
        if self.address is None:
            raise forms.ValidationError(
                _(
                    "We cannot find this address. Check the postcode and house number, "
                    "and the letter or addition if your address has one."
                ),
                code="address_not_found",
            )
        return cleaned


class ChangeAddressForm(AddressFields):
    """Moving house: the new address, resolved like at registration."""


class RegistrationForm(AddressFields):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_(
            "Other members see this name (or your initials), never your e-mail or address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("Members are 18 or older. Nobody else sees your date of birth."),
        widget=DateInput(),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "name",
        "email",
        "date_of_birth",
        "postcode",
        "house_number",
        "house_letter",
        "house_addition",
        "street",
        "password1",
        "password2",
    ]

    def clean_email(self) -> str:
        # An address that has an account is not an error here: registering must not reveal
        # accounts (accounts.actions.register_resident; the owner is told by e-mail).
        return normalize_email(self.cleaned_data["email"])

    def clean_date_of_birth(self) -> dt.date:
        try:
            return check_date_of_birth(self.cleaned_data["date_of_birth"], today=clock.today())
        except ActionError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", _("The two passwords are not the same."))
            else:
                candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
                try:
                    password_validation.validate_password(password1, candidate)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


class PasswordConfirmedForm(forms.Form):
    """A form for a change to one's own account that asks for the current password."""

    password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Your password is not correct."), code="wrong_password")
        return password


class ChangeEmailForm(PasswordConfirmedForm):
    email = forms.EmailField(label=_("New e-mail address"))
    field_order = ["email", "password"]
    # Whether the address is free is the action's question (accounts.actions.change_email).


class DeleteAccountForm(PasswordConfirmedForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be removed."),
    )


LOGIN_SCOPE = "login_account"


class LoginForm(AuthenticationForm):
    """Django's login form, slowed down per account from whatever address (django-axes
    locks an account and address pair): after settings.LOGIN_FREE_FAILURES wrong
    passwords each next try waits twice as long, at most settings.LOGIN_LONGEST_WAIT
    seconds (core/ratelimit.py).  A try that is told to wait checks no password."""

    throttled = False

    def clean(self) -> dict[str, Any]:
        account = normalized_login(None, {"username": self.data.get("username") or ""})
        wait = ratelimit.throttle_wait(
            scope=LOGIN_SCOPE,
            key=account,
            free=settings.LOGIN_FREE_FAILURES,
            longest=settings.LOGIN_LONGEST_WAIT,
        )
        if account and wait > 0:
            self.throttled = True
            raise forms.ValidationError(
                _(
                    "Too many wrong passwords for this account. Wait %(seconds)d seconds "
                    "and try again."
                ),
                code="throttled",
                params={"seconds": max(1, round(wait))},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if account and error.code == "invalid_login":
                ratelimit.throttle_failure(scope=LOGIN_SCOPE, key=account, forget_after=24 * 3600)
            raise
        ratelimit.throttle_reset(scope=LOGIN_SCOPE, key=account)
        return cleaned


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The Django admin's login (platform staff), slowed down per account the same way."""
