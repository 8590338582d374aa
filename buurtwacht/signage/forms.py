"""The admin's request for signs and stickers, and the municipality's steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import MAX_NOTE, MAX_WHERE


class SignRequestForm(forms.Form):
    signs = forms.IntegerField(label=_("Signs"), min_value=0, initial=0)
    stickers = forms.IntegerField(label=_("Stickers"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("Remark for the municipality (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example where the signs could go. No names or addresses of members."),
    )


class DecideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required to decline)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlacedForm(forms.Form):
    where = forms.CharField(
        label=_("Where have the signs been placed?"),
        max_length=MAX_WHERE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lat = forms.FloatField(
        label=_("Latitude (optional)"), required=False, min_value=-90, max_value=90
    )
    lon = forms.FloatField(
        label=_("Longitude (optional)"), required=False, min_value=-180, max_value=180
    )
