"""The check-in trend as series of points in a unit box, for the SVG and PDF charts alike."""

from __future__ import annotations

import math

from journal.dataclass import dataclass
from journal.summary.model import WeekTrend

SCORE_MAX = 10.0


@dataclass
class Series:
    """One line of the chart: points (x, y) with 0 <= x, y <= 1, y measured upwards."""

    name: str
    rgb: tuple[int, int, int]
    dashed: bool
    points: list[tuple[float, float]]


@dataclass
class TrendChart:
    """Everything a renderer needs to draw the weekly trend."""

    series: list[Series]
    x_labels: list[tuple[float, str]]
    left_ticks: list[tuple[float, str]]
    right_ticks: list[tuple[float, str]]
    right_title: str
    left_title: str
    markers: bool


def _nice_max(value: float) -> float:
    if value <= 0:
        return 10.0
    step = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return float(factor * step)
    return float(10 * step)


def trend_chart(weeks: list[WeekTrend]) -> TrendChart:
    """Pain and swelling on a 0-10 scale (left), stiffness in minutes on its own scale (right)."""
    count = len(weeks)

    def x(i: int) -> float:
        return 0.5 if count == 1 else i / (count - 1)

    stiff_values = [w.stiffness_minutes for w in weeks if w.stiffness_minutes is not None]
    stiff_max = _nice_max(max(stiff_values, default=0.0))

    def points(values: list[float | None], top: float) -> list[tuple[float, float]]:
        return [(x(i), min(v, top) / top) for i, v in enumerate(values) if v is not None]

    series = [
        Series("Pain (0-10)", (200, 40, 40), False, points([w.pain for w in weeks], SCORE_MAX)),
        Series("Swelling (0-10)", (30, 90, 180), False, points([w.swelling for w in weeks], SCORE_MAX)),
        Series("Stiffness (minutes)", (40, 130, 60), True, points([w.stiffness_minutes for w in weeks], stiff_max)),
    ]
    return TrendChart(
        series=[s for s in series if s.points],
        # At most about ten date labels, so a year or more of weeks stays readable.
        x_labels=[
            (x(i), w.week_start.strftime("%d %b %Y" if count > 26 else "%d %b"))
            for i, w in enumerate(weeks)
            if i % max(1, math.ceil(count / 10)) == 0
        ],
        left_ticks=[(v / SCORE_MAX, f"{v:g}") for v in (0, 2.5, 5, 7.5, 10)],
        right_ticks=[(f, f"{stiff_max * f:g}") for f in (0, 0.25, 0.5, 0.75, 1)],
        left_title="score 0-10",
        right_title="minutes",
        markers=count <= 26,
    )
