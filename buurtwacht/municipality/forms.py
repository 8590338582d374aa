"""Forms for verified roles: the request in the app, and staff's decision and revocation."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtwacht.geo.geocoding import belgium_served

from .models import VerifiedRole


class VerificationRequestForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I am a"), choices=VerifiedRole.choices, widget=forms.RadioSelect
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("For example Politie Noord-Nederland, or Gemeente Groningen."),
    )
    municipality_codes = forms.CharField(
        label=_("Municipality codes (coordinators)"),
        required=False,
        max_length=200,
        help_text=_("The CBS codes of the municipalities you work for, e.g. GM0014, GM0034."),
    )
    official_email = forms.EmailField(label=_("Official e-mail address"))
    reference = forms.CharField(
        label=_("What staff can check"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A team leader or department to call, a badge or staff number."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if belgium_served():
            self.fields["municipality_codes"].help_text = _(
                "The codes of the municipalities you work for: the CBS code in the "
                "Netherlands (GM0014), the NIS code in Belgium (44021)."
            )

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("municipality_codes", "")
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("deny", _("Deny"))],
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("What did you check?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the verification end?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the group's admins"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("They get it as a notification and by e-mail; you do not see who they are."),
    )
