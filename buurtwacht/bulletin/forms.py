"""Forms for the bulletin: they parse, the actions check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import MAX_BODY, MAX_TITLE
from .models import NoticeKind


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_BODY,
        help_text=_(
            "Public: on the group's public page, in its news feed and in the e-mail to "
            "subscribers. No names, addresses, phone numbers or details of incidents."
        ),
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You receive a link to confirm first. Unsubscribing takes one click."),
    )
