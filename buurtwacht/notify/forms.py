"""The member's notification preferences: parsing and checking; `update_preferences` writes."""

from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtwacht.notify import actions

_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalise_mobile(raw: str) -> str:
    """A Dutch or international mobile number in E.164 (+31612345678); ValueError if not.

    Accepts 06 12345678, 06-12345678, +31 6 12345678, +31 (0)6 12345678, 0031612345678 and
    other countries' numbers written with + or 00 (phonenumbers reads them, with the
    Netherlands as the country of a number without one).  The number must be a valid mobile
    number: Dutch landlines (050 1234567) and pagers are refused, and so are letters and
    extensions (phonenumbers would read 06-CALLME as digits).
    """
    if any(char.isalpha() for char in raw):
        raise ValueError(raw)
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        raise ValueError(raw) from None
    if (
        number.extension
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE
    ):
        raise ValueError(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class PreferencesForm(forms.Form):
    """Parses and validates; `update_preferences` writes."""

    webpush = forms.BooleanField(
        label=gettext_lazy("Push notifications on my phone or computer"), required=False
    )
    email = forms.BooleanField(label=gettext_lazy("E-mail"), required=False)
    sms = forms.BooleanField(label=gettext_lazy("Text message (SMS) for alerts"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Mobile number"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("For example 06 12345678, or +32 470 12 34 56 abroad."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    chat = forms.BooleanField(label=gettext_lazy("Also notify me of chat messages"), required=False)
    quiet_start = forms.TimeField(label=gettext_lazy("Quiet hours from"), widget=TimeInput())
    quiet_end = forms.TimeField(
        label=gettext_lazy("Quiet hours until"),
        widget=TimeInput(),
        help_text=gettext_lazy("The same time twice means no quiet hours."),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            return normalise_mobile(raw)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "This is not a mobile number. Enter a Dutch mobile number (06 12345678) "
                    "or a foreign one starting with + and the country code."
                ),
                code="invalid_mobile",
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sms") and not data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("Text messages need a mobile number: fill it in, or turn text messages off."),
                    code="sms_without_phone",
                ),
            )
        return data

    def change(self) -> actions.PreferenceChange:
        data = self.cleaned_data
        return actions.PreferenceChange(
            webpush=data["webpush"],
            email=data["email"],
            sms=data["sms"],
            phone=data["phone"],
            chat=data["chat"],
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
        )
