"""Charts drawn on the server as SVG: no script, no inline style, so the strict
Content-Security-Policy holds. Colours come from CSS classes in ``app.css``; every text is
escaped. Each chart is decorative for screen readers (``aria-hidden``): the page shows the same
figures as a table.
"""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 220
WIDTH = 640


def _text(value) -> str:
    return escape(str(value), quote=True)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def bar_chart(rows: Sequence[tuple[str, int]], *, css: str = "bar") -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = max((value for _label, value in rows), default=0) or 1
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    room = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-hidden="true" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(room * value / top)
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
            f"{_text(shown)}</text>"
            f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y}" width="{width}" '
            f'height="{BAR_HEIGHT}"></rect>'
            f'<text class="value" x="{LABEL_WIDTH + width + 6}" y="{y + 15}">'
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def pyramid(rows: Sequence[tuple[str, int, int]], *, left: str, right: str) -> SafeString:
    """A population pyramid: (band, left value, right value), youngest band at the bottom."""
    top = max((max(a, b) for _band, a, b in rows), default=0) or 1
    middle = WIDTH // 2
    band_width = 70
    room = middle - band_width // 2 - 50
    height = (len(rows) + 1) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="chart pyramid" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-hidden="true" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<text class="legend" x="{middle - band_width // 2 - 6}" y="15" text-anchor="end">'
        f"{_text(left)}</text>"
        f'<text class="legend" x="{middle + band_width // 2 + 6}" y="15">{_text(right)}</text>'
    ]
    for index, (band, a, b) in enumerate(reversed(rows), start=1):
        y = GAP + index * (BAR_HEIGHT + GAP)
        wa, wb = round(room * a / top), round(room * b / top)
        x_left = middle - band_width // 2 - wa
        x_right = middle + band_width // 2
        parts.append(
            f'<rect class="bar left" x="{x_left}" y="{y}" width="{wa}" height="{BAR_HEIGHT}">'
            f"</rect>"
            f'<text class="value" x="{x_left - 4}" y="{y + 15}" text-anchor="end">'
            f"{_number(a)}</text>"
            f'<text class="label" x="{middle}" y="{y + 15}" text-anchor="middle">'
            f"{_text(band)}</text>"
            f'<rect class="bar right" x="{x_right}" y="{y}" width="{wb}" height="{BAR_HEIGHT}">'
            f"</rect>"
            f'<text class="value" x="{x_right + wb + 4}" y="{y + 15}">{_number(b)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
