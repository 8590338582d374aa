"""The police report form (on an alert card and on the group's police page) and the
wijkagent's feedback form."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtwacht.core.countries import Country, default_country

from .actions import MAX_FEEDBACK, MAX_NUMBER
from .models import ReportChannel


class ReportForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    channel = forms.ChoiceField(
        label=_("How did you report it?"),
        choices=ReportChannel.choices,
        initial=ReportChannel.NON_EMERGENCY,
    )
    reported_at = forms.DateTimeField(
        label=_("When? (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    number = forms.CharField(
        label=_("Report number (optional)"), required=False, max_length=MAX_NUMBER
    )
    group_mentioned = forms.BooleanField(
        label=_("I mentioned the neighbourhood watch group"), required=False, initial=True
    )

    def __init__(self, *args: Any, country: Country | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        country = country or default_country()
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            (code, country.channel_label(code)) for code in ReportChannel.values
        ]


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Feedback from the police"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_FEEDBACK,
    )
