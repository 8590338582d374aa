"""The PDF of a sign request for the municipality's own administration (R-VIS-1): what was
asked, for which group, neighbourhood and streets, and each step with its date.  No
person's name: the municipality reaches the admins through the message form."""

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF, XPos, YPos

from buurtwacht.municipality.dashboard import municipality_name

from .models import SignRequest

# The core PDF fonts cover Latin-1; anything else (a typographic dash, an accent from
# elsewhere) is written as its nearest Latin-1 look-alike or a question mark.
_PLAIN = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
    }
)


class _Document(FPDF):
    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        """Each block starts on a line of its own, at the left margin."""
        kwargs.setdefault("new_x", XPos.LMARGIN)
        kwargs.setdefault("new_y", YPos.NEXT)
        return super().multi_cell(*args, **kwargs)


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def _when(moment) -> str:  # type: ignore[no-untyped-def]
    if moment is None:
        return "-"
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def sign_request_pdf(sign_request: SignRequest) -> bytes:
    code = sign_request.municipality_code
    pdf = _Document(format="A4")
    pdf.set_title(_latin1(_("Request for signs and stickers %(n)d") % {"n": sign_request.pk}))
    pdf.set_creator("Buurtwacht")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin1(_("Request for neighbourhood watch signs and stickers")))
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        6,
        _latin1(
            _("Request %(n)d · municipality %(municipality)s")
            % {"n": sign_request.pk, "municipality": f"{municipality_name(code)} ({code})"}
        ),
    )
    pdf.ln(4)
    rows = [
        (_("Group"), sign_request.group.name),
        (_("Neighbourhood"), sign_request.neighbourhood),
        (_("Streets"), ", ".join(sign_request.streets)),
        (_("Participants"), str(sign_request.participants)),
        (_("Signs"), str(sign_request.signs)),
        (_("Stickers"), str(sign_request.stickers)),
        (_("Remark of the group"), sign_request.note or "-"),
        (_("Status"), sign_request.get_status_display()),
        (_("Requested"), _when(sign_request.created_at)),
    ]
    if sign_request.decided_at is not None:
        label = _("Declined") if sign_request.status == "declined" else _("Approved")
        rows.append((label, _when(sign_request.decided_at)))
        if sign_request.reason:
            rows.append((_("Reason"), sign_request.reason))
    rows += [
        (_("Ordered"), _when(sign_request.ordered_at)),
        (_("Delivered"), _when(sign_request.delivered_at)),
        (_("Placed"), _when(sign_request.placed_at)),
    ]
    if sign_request.placed_where:
        rows.append((_("Where"), sign_request.placed_where))
    if sign_request.placed_lat is not None and sign_request.placed_lon is not None:
        rows.append(
            (_("Map point"), f"{sign_request.placed_lat:.6f}, {sign_request.placed_lon:.6f}")
        )
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(48, 7, _latin1(str(label)))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 7, _latin1(str(value)))
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(
        0,
        5,
        _latin1(
            _(
                "Made with Buurtwacht for the municipality's own administration. The group's "
                "admins are reached through the message form on the municipality dashboard."
            )
        ),
    )
    return bytes(pdf.output())
