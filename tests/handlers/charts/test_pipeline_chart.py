"""The pipeline chart: a 1200 x 800 PNG with a bar per open stage as long as its value and,
inside it, one as long as its weighted value; its alt text says the figures of the same
summary object the JSON is made of."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from handlers.charts import canvas
from handlers.charts.pipeline import PipelineChart
from storage.deals import operations as deals
from storage.reports.as_data import pipeline_data
from storage.reports.pipeline import pipeline_summary
from tests.handlers.charts.pixels import bars, decoded, drawn_share

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
def chart(db) -> PipelineChart:
    """Prospecting (10%) $40,000 in two deals; Meeting (40%) $20,000; Proposal (60%)
    $10,000; nothing in Qualification and Negotiation."""
    for name, value, stage in (("Acme", "30000", "prospecting"), ("Beta", "10000", "prospecting"),
                               ("Cargo", "20000", "meeting"), ("Delta", "10000", "proposal")):
        with db.transaction() as s:
            deals.create_deal(s, team="T1", name=name, actor="U1", now=NOW,
                              value=Decimal(value), stage=stage)
    with db.transaction() as s:
        return PipelineChart(pipeline_summary(s, team="T1", now=NOW))


def test_bars_are_as_long_as_the_values_and_the_weighted_values(chart):
    pixels = decoded(chart.png())
    assert pixels.shape == (800, 1200, 3) and drawn_share(pixels) > 0.05
    values, weighted = bars(pixels, canvas.SKY), bars(pixels, canvas.BLUE, min_width=40)
    assert len(values) == 3 and values[0] > 400  # the longest bar: two fifths of the width
    for width, value in zip(values, (40, 20, 10), strict=True):
        assert width == pytest.approx(values[0] * value / 40, abs=3)
    for width, value in zip(weighted, (4, 8, 6), strict=True):  # 10%, 40%, 60% of the values
        assert width == pytest.approx(values[0] * value / 40, abs=3)


def test_the_alt_text_says_the_figures_of_the_json_of_the_same_summary(chart):
    data = pipeline_data(chart.summary)
    text = chart.alt_text
    assert [s["value"] for s in data["stages"]] == [
        "40000.00", "0.00", "20000.00", "10000.00", "0.00"]
    assert "Prospecting 2 deals, $40,000, weighted $4,000" in text
    assert "Meeting 1 deal, $20,000, weighted $8,000" in text
    assert "Qualification 0 deals, $0, weighted $0" in text
    assert "Open in all: 4 deals, $70,000, weighted $18,000." in text
