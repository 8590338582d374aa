"""The member's notification preferences: parsing and checking; `update_preferences` writes."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtwacht.notify import actions

_SEPARATORS = re.compile(r"[\s\-.()/]")
_DUTCH_MOBILE = re.compile(r"6[1-9]\d{7}")  # after +31 / 0: 06-1… to 06-9…, 8 more digits
_E164 = re.compile(r"\+[1-9]\d{7,14}")


def normalise_mobile(raw: str) -> str:
    """A Dutch or international mobile number in E.164 (+31612345678); ValueError if not.

    Accepts 06 12345678, 06-12345678, +31 6 12345678, +31 (0)6 12345678, 0031612345678 and
    other countries' numbers written with + or 00.  Dutch numbers must be mobile (06).
    """
    number = _SEPARATORS.sub("", raw)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        if number.startswith("0") and _DUTCH_MOBILE.fullmatch(number[1:]):
            return "+31" + number[1:]
        raise ValueError(raw)
    if number.startswith("+31"):
        national = number[3:].removeprefix("0")  # "+31 (0)6 …"
        if _DUTCH_MOBILE.fullmatch(national):
            return "+31" + national
        raise ValueError(raw)
    if _E164.fullmatch(number):
        return number
    raise ValueError(raw)


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
