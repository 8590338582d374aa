"""Small server-rendered SVG charts for the statistics (no JavaScript).  A suppressed
count is never drawn to scale: "< 5" is a dashed outline up to 5, a hidden cell ("•")
a dot on the axis.  Each chart scales to its container (viewBox), so it fits a phone."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .statistics import Row, Shown

ACCENT = "#0b5cad"
MUTED = "#777"


def _scale(rows: list[Row]) -> float:
    exact = [float(row.figure.value or 0) for row in rows if row.figure.shown == Shown.EXACT]
    return max([5.0, *exact])


def _svg(*, title: str, width: int, height: int, parts: list[str]) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 (every text in it is escaped above)
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{label}</title>{''.join(parts)}</svg>"
    )


def too_little(rows: list[Row]) -> bool:
    """Nothing worth drawing: no exact figure above zero (only zeros, "< 5" or hidden)."""
    return not any(row.figure.shown == Shown.EXACT and row.figure.value for row in rows)


def column_chart(rows: list[Row], *, title: str, label_every: int = 1) -> SafeString:
    """Columns side by side (weeks, hours of the day)."""
    width, height, top, bottom, left = 400, 180, 18, 30, 4
    plot = height - top - bottom
    step = (width - left) / max(len(rows), 1)
    bar = step * 0.7
    scale = _scale(rows)
    base = top + plot
    parts = [f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="{MUTED}"/>']
    for n, row in enumerate(rows):
        x = left + n * step + (step - bar) / 2
        middle = x + bar / 2
        figure = row.figure
        if figure.shown == Shown.EXACT:
            h = plot * float(figure.value or 0) / scale
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{ACCENT}"/>'
            )
            value_y = base - h - 4
        elif figure.shown == Shown.SMALL:
            h = plot * 5 / scale
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="none" stroke="{ACCENT}" stroke-dasharray="3 2"/>'
            )
            value_y = base - h - 4
        else:
            parts.append(f'<circle cx="{middle:.1f}" cy="{base - 4}" r="3" fill="{MUTED}"/>')
            value_y = base - 10
        if figure.shown != Shown.EXACT or figure.value:
            parts.append(
                f'<text x="{middle:.1f}" y="{value_y:.1f}" font-size="12" '
                f'text-anchor="middle" fill="#1b1b1b">{escape(figure.display)}</text>'
            )
        if n % label_every == 0:
            parts.append(
                f'<text x="{middle:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" '
                f'fill="{MUTED}">{escape(row.short or row.label)}</text>'
            )
    return _svg(title=title, width=width, height=height, parts=parts)


def bar_chart(rows: list[Row], *, title: str) -> SafeString:
    """Horizontal bars with their label above (kinds, outcomes): long Dutch labels fit."""
    width, row_height, left = 400, 40, 4
    plot = width - left - 50
    scale = _scale(rows)
    parts = []
    for n, row in enumerate(rows):
        y = n * row_height
        figure = row.figure
        parts.append(
            f'<text x="{left}" y="{y + 13}" font-size="13" fill="#1b1b1b">{escape(row.label)}'
            "</text>"
        )
        if figure.shown == Shown.EXACT:
            w = plot * float(figure.value or 0) / scale
            parts.append(
                f'<rect x="{left}" y="{y + 18}" width="{w:.1f}" height="14" fill="{ACCENT}"/>'
            )
        elif figure.shown == Shown.SMALL:
            w = plot * 5 / scale
            parts.append(
                f'<rect x="{left}" y="{y + 18}" width="{w:.1f}" height="14" fill="none" '
                f'stroke="{ACCENT}" stroke-dasharray="3 2"/>'
            )
        else:
            w = 8
            parts.append(f'<circle cx="{left + 4}" cy="{y + 25}" r="3" fill="{MUTED}"/>')
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 30}" font-size="13" fill="#1b1b1b">'
            f"{escape(figure.display)}</text>"
        )
    return _svg(title=title, width=width, height=row_height * len(rows), parts=parts)
