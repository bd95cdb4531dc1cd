"""The weekly funnel report as a picture: the funnel stages as a centred funnel of the leads
that entered each this week (filled bars) over the week before (dashed outlines), the
stage-to-stage flow printed between them, and below, overall conversion over eight weeks.

Every figure comes from one `FunnelReport` (the object the message and the JSON come from)
and the `conversion_trend` that ends with it; the alt text says the same figures in words.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from handlers.blocks.format import clip, day
from handlers.blocks.report_parts import percent
from handlers.charts import canvas
from storage.reports.funnel import FunnelReport
from storage.reports.funnel_trend import TrendWeek
from storage.values import iso_week_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ALT_TEXT_LIMIT = 1000  # Slack's limit on alt_txt
NAME_WIDTH = 14  # characters a line of a stage name, left of the funnel
NAME_SHOWN = 24  # characters of a stage name in the trend's title
BAR = 0.56  # a bar's height, in rows


@dataclass(frozen=True)
class FunnelChart:
    report: FunnelReport
    trend: tuple[TrendWeek, ...]

    @property
    def filename(self) -> str:
        return f"dealbot-funnel-{self.report.week}.png"

    @property
    def title(self) -> str:
        return f"Funnel, week {self.report.week}"

    def png(self, *, scale: float = 2.0) -> bytes:
        return canvas.draw(self._paint, scale=scale)

    @property
    def alt_text(self) -> str:
        """One paragraph with every figure on the picture, within Slack's 1,000 characters."""
        r = self.report
        sunday = r.monday + timedelta(days=6)
        stages = r.stages
        entered = "; ".join(f"{clip(s.name, 40)} {s.entered:,} ({s.entered_prev:,})"
                            for s in stages)
        flows = "; ".join(f"{clip(a.name, 40)} to {clip(b.name, 40)} "
                          f"{percent(a.flow_conversion)} ({percent(a.flow_conversion_prev)})"
                          for a, b in zip(stages, stages[1:], strict=False))
        text = (f"Funnel chart of week {r.week} ({day(r.monday)} to {day(sunday)}, "
                f"{r.timezone}) against the week before. Leads that entered each stage this "
                f"week (week before in brackets): {entered}. Flow from stage to stage "
                f"(week before in brackets): {flows or 'none'}.")
        if self.trend:
            shares = ", ".join(f"{w.week[-3:]} {_share(w.share)}" for w in self.trend)
            text += (f" Overall conversion, the share of each week's {r.cohort_weeks}-week "
                     f"cohort that reached {clip(stages[-1].name if stages else '', 40)}: "
                     f"{shares}.")
        return clip(text, ALT_TEXT_LIMIT)

    def _paint(self, figure: Figure) -> None:
        r = self.report
        figure.text(0.04, 0.955, f"Lead funnel · week {r.week}", fontsize=13,
                    fontweight="bold", va="top")
        figure.text(0.04, 0.89, f"Leads entering each stage · {day(r.monday)} – "
                    f"{day(r.monday + timedelta(days=6))}, {r.timezone}",
                    color=canvas.MUTED, va="top")
        _legend(figure, r.week, iso_week_label(r.monday - timedelta(days=7)))
        _funnel(figure.add_axes((0.02, 0.30, 0.96, 0.55)), r)
        if self.trend:
            _trend(figure.add_axes((0.10, 0.07, 0.86, 0.14)), self.trend,
                   r.stages[-1].name if r.stages else "", r.cohort_weeks)


def _share(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.1f}%"


def _legend(figure: Figure, week: str, previous: str) -> None:
    from matplotlib.patches import Rectangle

    y = 0.83
    figure.add_artist(Rectangle((0.44, y - 0.015), 0.03, 0.03, facecolor=canvas.BLUE,
                                transform=figure.transFigure))
    figure.text(0.48, y, week, va="center", fontsize=8.5)
    figure.add_artist(Rectangle((0.64, y - 0.015), 0.03, 0.03, facecolor="none",
                                edgecolor=canvas.INK, linestyle=(0, (3, 2)), linewidth=1,
                                transform=figure.transFigure))
    figure.text(0.68, y, f"{previous} (in brackets)", va="center", fontsize=8.5)


def _funnel(ax: Axes, report: FunnelReport) -> None:
    """Rows top to bottom; a bar's half-width is its count over the widest count (both weeks),
    so the two weeks share one scale."""
    from matplotlib.patches import Polygon, Rectangle

    stages = report.stages
    widest = max([1, *(s.entered for s in stages), *(s.entered_prev for s in stages)])
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(len(stages) - 0.5, -0.75)
    ax.set_axis_off()
    half = [(s.entered / widest, s.entered_prev / widest) for s in stages]
    anyone = any(s.entered or s.entered_prev for s in stages)
    for row, (stage, (now, before)) in enumerate(zip(stages, half, strict=True)):
        top = row - BAR / 2
        if anyone and row + 1 < len(stages):
            below = half[row + 1][0]
            ax.add_patch(Polygon([(-now, top + BAR), (now, top + BAR), (below, top + 1),
                                  (-below, top + 1)], facecolor=canvas.SKY, alpha=0.25,
                                 edgecolor="none"))
            _pair(ax, 0, row + 0.5, f"↓ {percent(stage.flow_conversion)}",
                  f"({percent(stage.flow_conversion_prev)})", ha="center", size=8.5)
        if now:
            ax.add_patch(Rectangle((-now, top), 2 * now, BAR, facecolor=canvas.BLUE,
                                   edgecolor="none"))
        if before:
            ax.add_patch(Rectangle((-before, top), 2 * before, BAR, facecolor="none",
                                   edgecolor=canvas.INK, linestyle=(0, (3, 2)), linewidth=1))
        ax.text(-1.08, row, _wrapped(stage.name), ha="right", va="center", linespacing=1.0)
        _pair(ax, 1.08, row, f"{stage.entered:,}", f"({stage.entered_prev:,})", ha="left",
              size=9)
    if not anyone:
        ax.text(0, (len(stages) - 1) / 2, "No leads entered the funnel in these two weeks",
                ha="center", va="center", color=canvas.MUTED)


def _pair(ax: Axes, x: float, y: float, figure: str, before: str, *, ha: str,
          size: float) -> None:
    """`figure` in bold at (x, y), and the week before's figure in grey right after it."""
    shown = ax.text(x, y, figure, ha=ha, va="center", fontsize=size, fontweight="bold")
    ax.annotate(before, xy=(1, 0.5), xycoords=shown, xytext=(4, 0),
                textcoords="offset points", va="center", fontsize=size - 1,
                color=canvas.MUTED)


def _wrapped(name: str) -> str:
    """A stage name on at most two lines of the name column."""
    return textwrap.fill(name, width=NAME_WIDTH, max_lines=2, placeholder="…")


def _trend(ax: Axes, trend: tuple[TrendWeek, ...], last_stage: str, cohort_weeks: int) -> None:
    xs = list(range(len(trend)))
    ys = [float("nan") if w.share is None else w.share * 100 for w in trend]
    ax.plot(xs, ys, color=canvas.GREEN, linewidth=1.8, marker="o", markersize=3.5)
    if trend[-1].share is not None:
        ax.plot([xs[-1]], [ys[-1]], marker="o", markersize=6, color=canvas.GREEN)
        ax.annotate(_share(trend[-1].share), (xs[-1], ys[-1]), xytext=(6, 0),
                    textcoords="offset points", va="center", fontweight="bold", fontsize=8.5)
    ax.set_xticks(xs, [w.week[-3:] for w in trend], fontsize=7.5)
    ax.set_xlim(-0.3, len(trend) - 0.4)
    top = max([y for y in ys if y == y] + [1.0])
    ax.set_ylim(0, top * 1.3)
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:.0f}%")
    ax.tick_params(axis="y", labelsize=7.5, length=0)
    ax.tick_params(axis="x", length=0)
    ax.grid(axis="y", color=canvas.GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(f"Overall conversion: share of each week's {cohort_weeks}-week cohort "
                 f"that reached {clip(last_stage, NAME_SHOWN)}", loc="left", fontsize=8.5,
                 color=canvas.MUTED, pad=4)
