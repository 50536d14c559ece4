"""Toner trend charts as files: a PNG (matplotlib, no display needed) and a self-contained HTML page.

The chart shows, per period, expected and shipped capacity (yield pages) as bars and the excess as a line; the HTML
page embeds the PNG and the figures as a table, so it can be mailed or archived without the workbench.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: render to memory
from matplotlib import pyplot  # noqa: E402 - the backend must be chosen first

from cashtrail.toner.queries import TrendPoint  # noqa: E402


def trend_png(title: str, points: Sequence[TrendPoint]) -> bytes:
    """A PNG chart of ``points`` (one group)."""
    labels = [p.period for p in points]
    positions = list(range(len(points)))
    figure, axes = pyplot.subplots(figsize=(9, 4.5), dpi=100)
    try:
        axes.bar([x - 0.2 for x in positions], [float(p.expected) for p in points], 0.4, label="expected")
        axes.bar([x + 0.2 for x in positions], [p.shipped for p in points], 0.4, label="shipped")
        axes.plot(positions, [float(p.excess) for p in points], color="crimson", marker="o", label="excess")
        axes.set_xticks(positions, labels)
        axes.set_ylabel("yield pages")
        axes.set_title(title)
        axes.legend()
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def trend_html(title: str, points: Sequence[TrendPoint]) -> str:
    """A standalone HTML page: the chart and the table of figures."""
    image = base64.b64encode(trend_png(title, points)).decode()
    rows = "".join(
        f"<tr><td>{html.escape(p.period)}</td><td>{html.escape(p.group)}</td><td>{p.expected:,.0f}</td>"
        f"<td>{p.shipped:,}</td><td>{p.excess:,.0f}</td><td>{p.charge:,.2f}</td>"
        f"<td>{'' if p.coverage_black is None else p.coverage_black}</td></tr>"
        for p in points
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<img alt='{html.escape(title)}' src='data:image/png;base64,{image}'>"
        "<table border='1' cellpadding='4'><thead><tr><th>Period</th><th>Group</th><th>Expected</th>"
        "<th>Shipped</th><th>Excess</th><th>Charge</th><th>Black coverage %</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )
