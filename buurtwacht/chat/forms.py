"""The chat form of the group page (the socket and the API read a chat message themselves)."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ChatForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(label=_("Message"), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
