"""The funnel chart: a 1200 x 800 PNG whose bars are as wide as the report's counts, and whose
alt text says the figures of the same report object the JSON is made of."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.charts import canvas
from handlers.charts.funnel import ALT_TEXT_LIMIT, FunnelChart
from storage.kinds import PipelineKind
from storage.leads import operations as leads
from storage.reports.as_data import funnel_data
from storage.reports.funnel import funnel_report
from storage.reports.funnel_trend import conversion_trend
from storage.stages import rename_stage
from tests.handlers.charts.pixels import bars, colours, decoded, drawn_share

W47 = date(2026, 11, 16)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def act(db, when, operation, **kwargs):
    with db.transaction() as s:
        return operation(s, team="T1", actor="U1", now=when, **kwargs)


@pytest.fixture
def week(db):
    """W46: 2 leads, 1 of them to Interest. W47: 8 leads, 4 of them on to Interest, 2 of
    those to Consideration, 1 to Engagement."""
    for i in range(2):
        act(db, datetime(2026, 11, 10, 9 + i, tzinfo=UTC), leads.add_lead, name=f"Old {i}",
            stage="interest" if i else None)
    for i in range(8):
        monday = datetime(2026, 11, 16, 9, tzinfo=UTC) + timedelta(hours=i)
        act(db, monday, leads.add_lead, name=f"New {i}")
        for stage, until in (("interest", 4), ("consideration", 2), ("engagement", 1)):
            if i < until:
                act(db, monday + timedelta(days=1), leads.move_lead, number=3 + i, stage=stage)
    return db


def chart_of(db, week_monday=W47) -> FunnelChart:
    with db.transaction() as s:
        report = funnel_report(s, team="T1", now=NOW, week=week_monday, timezone="UTC")
        return FunnelChart(report, conversion_trend(s, report))


def test_the_chart_is_1200_by_800_with_bars_as_wide_as_the_entered_counts(week):
    chart = chart_of(week)
    assert [s.entered for s in chart.report.stages] == [8, 4, 2, 1, 0]
    pixels = decoded(chart.png())
    assert pixels.shape == (800, 1200, 3)
    assert drawn_share(pixels) > 0.05 and colours(pixels) > 50  # not blank, antialiased text
    widths = bars(pixels, canvas.BLUE)
    assert len(widths) == 4  # Conversion: nobody, no bar
    for width, count in zip(widths, (8, 4, 2, 1), strict=True):
        assert width == pytest.approx(widths[0] * count / 8, abs=3)
    assert widths[0] > 600  # the widest bar spans half the picture


def test_the_alt_text_says_the_figures_of_the_json_of_the_same_report(week):
    chart = chart_of(week)
    data = funnel_data(chart.report)
    text = chart.alt_text
    for stage in data["stages"]:
        assert f"{stage['name']} {stage['entered']:,} ({stage['entered_prev']:,})" in text
    for flow in ("Awareness to Interest 50% (50%)", "Interest to Consideration 50% (0%)",
                 "Consideration to Engagement 50% (–)", "Engagement to Conversion 0% (–)"):
        assert flow in text
    assert f"week {data['week']}" in text and "W40 " in text and "W47 0.0%" in text
    assert len(text) <= ALT_TEXT_LIMIT and "\n" not in text


def test_a_week_without_leads_and_long_stage_names_still_draw(week):
    with week.transaction() as s:
        rename_stage(s, team="T1", kind=PipelineKind.LEAD, stage="consideration",
                     new_name="Considering a purchase seriously $ now " + "x" * 20)
    chart = chart_of(week, date(2026, 6, 1))
    assert all(s.entered == s.entered_prev == 0 for s in chart.report.stages)
    pixels = decoded(chart.png(scale=1))  # a smaller picture: the layout scales with it
    assert pixels.shape == (400, 600, 3) and bars(pixels, canvas.BLUE, min_width=20) == []
    assert "Considering a purchase seriously $ now …" in chart.alt_text  # clipped
