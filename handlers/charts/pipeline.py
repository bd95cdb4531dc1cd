"""The pipeline summary as a picture: each open stage's value as a bar, its weighted value
(value x probability) overlaid as a darker bar inside it, with the figures beside them.

Every figure comes from one `PipelineSummary`, the object the message and the JSON come from.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.blocks.format import clip, counted, day
from handlers.charts import canvas
from storage.reports.pipeline import PipelineSummary
from storage.values import format_money

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ALT_TEXT_LIMIT = 1000  # Slack's limit on alt_txt
NAME_WIDTH = 14
BAR, WEIGHTED_BAR = 0.62, 0.3  # heights, in rows


@dataclass(frozen=True)
class PipelineChart:
    summary: PipelineSummary

    @property
    def _local_day(self) -> date:
        return self.summary.as_of.astimezone(ZoneInfo(self.summary.timezone)).date()

    @property
    def _day(self) -> str:
        return day(self._local_day)

    @property
    def filename(self) -> str:
        return f"dealbot-pipeline-{self._local_day.isoformat()}.png"

    @property
    def title(self) -> str:
        return f"Pipeline, {self._day}"

    def png(self, *, scale: float = 2.0) -> bytes:
        return canvas.draw(self._paint, scale=scale)

    @property
    def alt_text(self) -> str:
        """One paragraph with every figure on the picture, within Slack's 1,000 characters."""
        s, c = self.summary, self.summary.currency
        lines = "; ".join(f"{clip(line.name, 40)} {counted(line.count, 'deal')}, "
                          f"{_plain(line.value, c)}, weighted {_plain(line.weighted, c)}"
                          for line in s.stages)
        text = (f"Bar chart of the {clip(s.pipeline, 60)} pipeline on {self._day} "
                f"({s.timezone}): the value of the open deals in each stage, with the weighted "
                f"value (value times probability) inside it. {lines or 'No open stages'}. "
                f"Open in all: {counted(s.count, 'deal')}, {_plain(s.value, c)}, weighted "
                f"{_plain(s.weighted, c)}.")
        return clip(text, ALT_TEXT_LIMIT)

    def _paint(self, figure: Figure) -> None:
        s = self.summary
        figure.text(0.04, 0.955, f"Pipeline · {clip(s.pipeline, 40)}", fontsize=13,
                    fontweight="bold", va="top")
        figure.text(0.04, 0.89, f"Open deals by stage, {self._day} ({s.timezone}) · "
                    f"{counted(s.count, 'deal')}, {_plain(s.value, s.currency)}, weighted "
                    f"{_plain(s.weighted, s.currency)}", color=canvas.MUTED, va="top")
        _legend(figure)
        _bars(figure.add_axes((0.02, 0.05, 0.96, 0.74)), s)


def _plain(amount: Decimal, currency: str) -> str:
    """Money as messages write it; its non-breaking spaces as plain ones for the picture."""
    return format_money(amount, currency).replace("\u00a0", " ")


def _legend(figure: Figure) -> None:
    from matplotlib.patches import Rectangle

    y = 0.83
    for x, colour, label in ((0.44, canvas.SKY, "value"),
                             (0.64, canvas.BLUE, "weighted value")):
        figure.add_artist(Rectangle((x, y - 0.015), 0.03, 0.03, facecolor=colour,
                                    transform=figure.transFigure))
        figure.text(x + 0.04, y, label, va="center", fontsize=8.5)


def _bars(ax: Axes, summary: PipelineSummary) -> None:
    """Rows top to bottom; bars grow from the name column to the right, on one scale."""
    from matplotlib.patches import Rectangle

    stages, c = summary.stages, summary.currency
    widest = max([Decimal(1), *(line.value for line in stages)])
    ax.set_xlim(-0.62, 1.75)
    ax.set_ylim(max(len(stages), 1) - 0.5, -0.5)
    ax.set_axis_off()
    for row, line in enumerate(stages):
        value, weighted = float(line.value / widest), float(line.weighted / widest)
        if value:
            ax.add_patch(Rectangle((0, row - BAR / 2), value, BAR, facecolor=canvas.SKY,
                                   edgecolor="none"))
        if weighted:
            ax.add_patch(Rectangle((0, row - WEIGHTED_BAR / 2), weighted, WEIGHTED_BAR,
                                   facecolor=canvas.BLUE, edgecolor="none"))
        ax.text(-0.04, row, textwrap.fill(line.name, width=NAME_WIDTH, max_lines=2,
                                          placeholder="…"),
                ha="right", va="center", linespacing=1.0)
        shown = ax.text(value + 0.03, row + 0.02, _plain(line.value, c), ha="left",
                        va="bottom", fontweight="bold")
        ax.annotate(counted(line.count, "deal"), xy=(1, 0.5), xycoords=shown, xytext=(5, 0),
                    textcoords="offset points", va="center", color=canvas.MUTED, fontsize=8)
        ax.text(value + 0.03, row + 0.04, f"weighted {_plain(line.weighted, c)}", ha="left",
                va="top", color=canvas.MUTED, fontsize=8)
    if not any(line.count for line in stages):
        ax.text(0.55, (len(stages) - 1) / 2, "No open deals", ha="center", va="center",
                color=canvas.MUTED)
