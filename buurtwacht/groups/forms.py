"""Forms for the group pages: they parse and validate, the actions write."""

from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from buurtwacht.accounts.forms import DateInput
from buurtwacht.accounts.models import User, normalize_email
from buurtwacht.core import clock
from buurtwacht.geo.models import Street
from buurtwacht.media.images import ImageRejected, reencode_image

from .models import Listing, MembershipRole, VettingMethod


def _reencoded_photo(form: forms.Form) -> ContentFile | None:
    upload = form.cleaned_data.get("photo")
    if not upload:
        return None
    try:
        return reencode_image(upload)
    except ImageRejected as exc:
        raise forms.ValidationError(str(exc), code="photo") from exc


class GroupEditForm(forms.Form):
    """Name, description and photo on the settings page (the streets have their own form)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    photo = forms.FileField(label=_("New photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def clean_photo(self) -> ContentFile | None:
        return _reencoded_photo(self)


class StreetsForm(forms.Form):
    """The group's streets, chosen from the municipality's."""

    streets = forms.ModelMultipleChoiceField(
        label=_("Streets"),
        queryset=Street.objects.none(),
        help_text=_("The streets that belong to the group. Only their residents can join."),
        # Without JavaScript a plain multi-select; street_picker.js turns it into a search
        # field with the chosen streets as removable chips.
        widget=forms.SelectMultiple(attrs={"size": 12, "data-street-picker": ""}),
    )
    overlaps_confirmed = forms.BooleanField(
        label=_("I have seen the groups that overlap and still want these streets."),
        required=False,
    )

    def __init__(self, *args: Any, municipality_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["streets"].queryset = Street.objects.filter(  # type: ignore[attr-defined]
            municipality_code=municipality_code
        ).order_by("name")


class GroupForm(StreetsForm):
    field_order = ["name", "description", "photo", "streets", "overlaps_confirmed"]

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example: Buurtpreventie Almere Muziekwijk"),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    photo = forms.FileField(label=_("Photo"), required=False)
    overlaps_confirmed = forms.BooleanField(
        label=_("I have seen the existing groups in this area and still want a new group."),
        required=False,
    )

    def clean_photo(self) -> ContentFile | None:
        return _reencoded_photo(self)


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the admins (optional)"), widget=forms.Textarea, required=False
    )
    contact = forms.CharField(
        label=_("How the admins can reach you (optional)"),
        help_text=_(
            "A phone number, or when you are at home. An admin makes personal contact before "
            "admitting you; only the admins see this."
        ),
        max_length=200,
        required=False,
    )
    rules_accepted = forms.BooleanField(label=_("I accept the house rules of this group."))


class AdmitForm(forms.Form):
    contact_date = forms.DateField(
        label=_("Date of the personal contact"),
        widget=DateInput(),  # ISO, what <input type=date> needs (it showed empty)
        initial=clock.today,
    )
    contact_method = forms.ChoiceField(label=_("How"), choices=VettingMethod.choices)
    contact_note = forms.CharField(label=_("Note (optional)"), required=False)
    age_checked = forms.BooleanField(label=_("I checked that this person is 18 or older."))
    address_checked = forms.BooleanField(
        label=_("I checked that this person lives on our streets.")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(MembershipRole.ADMIN, _("admin")), (MembershipRole.MEMBER, _("member"))],
    )


class RulesForm(forms.Form):
    own_rules = forms.CharField(
        label=_("The group's own rules"),
        widget=forms.Textarea,
        required=False,
        help_text=_("On top of the national rules. Members accept them again when they change."),
    )


class ListingForm(forms.Form):
    listing = forms.ChoiceField(
        label=_("On the public map"),
        choices=Listing.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Listed groups are on the public map and in search results, so neighbours can "
            "find you. The page of the group itself only shows public information."
        ),
    )


class ProposeForm(forms.Form):
    UNKNOWN = _("No resident with this e-mail address lives on the group's streets.")
    email = forms.EmailField(label=_("E-mail address of the resident"))

    def clean_email(self) -> User:
        resident = User.objects.filter(
            email=normalize_email(self.cleaned_data["email"]), is_active=True
        ).first()
        if resident is None:  # same words as "not on our streets": no account lookup by e-mail
            raise forms.ValidationError(self.UNKNOWN, code="unknown")
        return resident


class WijkagentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the community police officer"))

    # No check here: whether an address is a verified police account is not for the
    # admin to learn (actions.invite_wijkagent answers the same either way).


class RetentionForm(forms.Form):
    """Days the group keeps its content; the maxima are the instance's."""

    chat_days = forms.IntegerField(label=_("Chat messages (days)"), min_value=1)
    alert_days = forms.IntegerField(
        label=_("Alerts with their updates, acknowledgements and 112 claims (days)"),
        min_value=1,
    )
    photo_days = forms.IntegerField(label=_("Photos on alerts (days)"), min_value=1)

    def __init__(self, *args: Any, limits: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, most in (
            ("chat_days", limits.chat),
            ("alert_days", limits.alerts),
            ("photo_days", limits.photos),
        ):
            field = self.fields[name]
            field.max_value = most  # type: ignore[attr-defined]
            field.validators.append(MaxValueValidator(most))
            field.widget.attrs.update({"min": 1, "max": most})
            field.help_text = _("At most %(most)d days.") % {"most": most}


class InitialsForm(forms.Form):
    show_initials = forms.BooleanField(
        label=_("Members see each other's initials instead of full names"), required=False
    )
