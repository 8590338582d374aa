"""The alert form: screen 1 is what + where (+ kind); screen 2 (folded) is the rest."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Group
from buurtwacht.media.images import ImageRejected, PreparedImage, prepare_image
from buurtwacht.media.models import PhotoReason

from .actions import PERSON_FIELDS
from .models import PERSON_LABELS, VEHICLE_LABELS, AlertKind, Direction, Outcome


def _described(label: Any, **extra: Any) -> forms.CharField:
    """An optional description field (person or vehicle)."""
    return forms.CharField(label=label, required=False, max_length=200, **extra)


class AlertForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.ChoiceField(
        label=_("What is going on?"),
        choices=AlertKind.choices,
        initial=AlertKind.SUSPICIOUS_PERSON,
        widget=forms.RadioSelect,
    )
    what = forms.CharField(
        label=_("What did you see? Describe the behaviour."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    street: "forms.ModelChoiceField[Street]" = forms.ModelChoiceField(
        label=_("Where?"), queryset=Street.objects.none(), empty_label=None
    )
    # Filled by the "add my location" button (the browser's location); checked to lie
    # inside the group's area when posting.
    lon = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-90, max_value=90)
    direction = forms.ChoiceField(
        label=_("Direction of travel"), choices=Direction.choices, required=False
    )
    gender = _described(PERSON_LABELS["gender"])
    age = _described(PERSON_LABELS["age"])
    height = _described(PERSON_LABELS["height"])
    build = _described(PERSON_LABELS["build"])
    clothing_top = _described(PERSON_LABELS["clothing_top"])
    clothing_bottom = _described(PERSON_LABELS["clothing_bottom"])
    shoes = _described(PERSON_LABELS["shoes"])
    hair = _described(PERSON_LABELS["hair"])
    features = _described(PERSON_LABELS["features"])
    skin_colour = _described(
        PERSON_LABELS["skin_colour"],
        help_text=_("Only together with at least two other concrete details."),
    )
    vehicle_type = _described(VEHICLE_LABELS["type"])
    vehicle_make = _described(VEHICLE_LABELS["make"])
    vehicle_colour = _described(VEHICLE_LABELS["colour"])
    vehicle_plate = _described(VEHICLE_LABELS["plate"])
    # R-RUL-6: a photo only when it is necessary, relevant and of added value.
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Only when it is really necessary. Location data and other metadata are removed; "
            "only the group sees the photo, and it is deleted automatically."
        ),
    )
    photo_reason = forms.ChoiceField(
        label=_("Why is the photo necessary?"),
        choices=[("", "---------"), *PhotoReason.choices],
        required=False,
    )
    photo_reason_text = forms.CharField(label=_("Explain briefly"), required=False, max_length=300)

    PERSON = PERSON_FIELDS
    VEHICLE = {
        "vehicle_type": "type",
        "vehicle_make": "make",
        "vehicle_colour": "colour",
        "vehicle_plate": "plate",
    }

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = group.streets.order_by("name")  # type: ignore[attr-defined]

    def clean_photo(self) -> PreparedImage | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return prepare_image(upload)
        except ImageRejected as exc:
            raise forms.ValidationError(str(exc), code="photo") from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("photo") is not None and not (
            data.get("photo_reason") and (data.get("photo_reason_text") or "").strip()
        ):
            self.add_error(
                "photo_reason",
                _("Say why the photo is necessary: choose a reason and explain briefly."),
            )
        return data

    def person(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name] for name in self.PERSON if self.cleaned_data.get(name)
        }

    def vehicle(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[name]
            for name, key in self.VEHICLE.items()
            if self.cleaned_data.get(name)
        }


class UpdateForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(label=_("Add information"), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    # No default: closing is a choice, not a slip (it defaulted to "resolved").
    outcome = forms.ChoiceField(
        label=_("How did it end?"), choices=[("", _("Choose…")), *Outcome.choices]
    )
