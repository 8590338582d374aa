"""Forms of the public register: they parse, the search and the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode and house number, or a place or street"),
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": "9712 KB 24",
                "autocomplete": "postal-code",
                "inputmode": "search",
                "enterkeyhint": "search",
            }
        ),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The admins reply to this address. It is not shown on the site."),
    )
    body = forms.CharField(label=_("Your message"), max_length=2000, widget=forms.Textarea)
    # Left empty by people; bots fill in every field.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
