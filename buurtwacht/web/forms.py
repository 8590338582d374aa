"""How every form on the site renders its fields (settings.FORM_RENDERER)."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Django's own templates, except a field: a checkbox goes inside its label, so the whole
    line is one tap target on a phone (issue 13, web/templates/web/forms/field.html)."""

    field_template_name = "web/forms/field.html"
