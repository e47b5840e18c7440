"""Bar charts as inline SVG drawn on the server: no script, no CDN. Imports no app.

Only presentation attributes (fill, width …), never a style attribute, so the strict CSP of the
site lets them through. Every text is escaped; labels are cut to fit, the whole label kept in a
<title> for screen readers and a mouse.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ("#9aa7b3", "#1f5f8b")  # previous period / current period, as in the PDF
WIDTH = 640
LABEL_WIDTH = 260
ROW = 14
GAP = 8
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="11"'


def _cut(label, limit=38):
    label = str(label)
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _legend(names, y):
    parts = []
    for index, name in enumerate(names):
        x = LABEL_WIDTH + index * 150
        colour = COLOURS[(index + 2 - len(names)) % 2]
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{y + 9}" {FONT}>{escape(name)}</text>')
    return "".join(parts)


def bar_chart(title, labels, series, *, names=(), max_value=None, value_text=str):
    """Horizontal bars, one per series for each label; None is drawn as «—» (no figure)."""
    numbers = [float(v) for values in series for v in values if v is not None]
    top = max_value or max(numbers + [0.0]) or 1.0
    legend = 18 if names else 0
    group = len(series) * ROW + GAP
    height = legend + len(labels) * group + 4
    area = WIDTH - LABEL_WIDTH - 60
    parts = [_legend(names, 2)] if names else []
    for row, label in enumerate(labels):
        y_top = legend + row * group
        parts.append(f'<text x="0" y="{y_top + len(series) * ROW / 2 + 4:.0f}" {FONT}>'
                     f'<title>{escape(label)}</title>{escape(_cut(label))}</text>')
        for index, values in enumerate(series):
            value = values[row]
            y = y_top + index * ROW
            length = 0 if value is None else area * max(0.0, min(float(value) / top, 1.0))
            colour = COLOURS[(index + 2 - len(series)) % 2]
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{area}" height="{ROW - 2}" '
                         f'fill="#f3f6f9"/>')
            if length:
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                             f'height="{ROW - 2}" fill="{colour}"/>')
            shown = "—" if value is None else value_text(value)
            parts.append(f'<text x="{LABEL_WIDTH + area + 4}" y="{y + ROW - 4}" {FONT} '
                         f'fill="#5b6670">{escape(shown)}</text>')
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        + "".join(parts) + "</svg>")
