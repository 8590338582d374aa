"""The national house rules (docs/PRODUCT.md R-RUL-1..7), as the group page shows them
(web/_national_rules.html uses the same texts) and as the flyer prints them."""

from django.utils.translation import gettext_lazy as _

NATIONAL_RULES = (
    _("Members are demonstrably 18 or older."),
    _("Members live in the neighbourhood; it is defined which streets belong to it."),
    _("Polite language: no cursing, insults, discrimination or racist remarks."),
    _(
        "In a suspicious situation one person calls 112 with a description and tells the "
        "group right away, so that not several people call."
    ),
    _(
        "Photos of suspects only when necessary, relevant and of added value. Privacy holds "
        "in closed groups too."
    ),
    _("Think about how to involve residents who are not in the group."),
)
