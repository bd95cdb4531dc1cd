"""The reports as plain JSON-ready data, with exactly the keys of PRODUCT.md "Reports as
data": money as decimal strings with two decimals, rates and shares as plain numbers, None
(null) where a denominator is 0, times as ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from storage.kinds import DigestKind
from storage.reports.attention import AttentionDeal, AttentionList
from storage.reports.forecast import Figures, Forecast
from storage.reports.funnel import FunnelReport
from storage.reports.pipeline import PipelineSummary


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(Decimal("0.01")), "f")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _deal(deal: AttentionDeal) -> dict[str, Any]:
    return {"id": deal.number, "name": deal.name, "stage": deal.stage,
            "value": money_text(deal.value), "owner": deal.owner, "days_idle": deal.days_idle,
            "expected_close": deal.expected_close.isoformat() if deal.expected_close else None}


def _deals(found: AttentionList) -> list[dict[str, Any]]:
    return [_deal(d) for d in found.deals]


def _attention(report: PipelineSummary) -> dict[str, Any]:
    """Each list (as many deals as the report was asked to list) and, beside it as
    `<list>_total`, how many deals it holds in all."""
    lists = {"stale": report.attention.stale, "overdue": report.attention.overdue,
             "closing_soon": report.attention.closing_soon}
    data: dict[str, Any] = {name: _deals(found) for name, found in lists.items()}
    data.update({f"{name}_total": found.total for name, found in lists.items()})
    return data


def pipeline_data(report: PipelineSummary) -> dict[str, Any]:
    act = report.activity
    return {
        "kind": DigestKind.PIPELINE.value, "team": report.team, "pipeline": report.pipeline,
        "as_of": utc_text(report.as_of), "currency": report.currency,
        "stages": [{"name": s.name, "probability": s.probability, "count": s.count,
                    "value": money_text(s.value), "weighted": money_text(s.weighted)}
                   for s in report.stages],
        "totals": {"count": report.count, "value": money_text(report.value),
                   "weighted": money_text(report.weighted)},
        "activity": {
            "since": utc_text(act.since),
            "new": {"count": act.new_count, "value": money_text(act.new_value)},
            "advanced": act.advanced, "moved_back": act.moved_back,
            "won": {"count": act.won_count, "value": money_text(act.won_value)},
            "lost": {"count": act.lost_count, "value": money_text(act.lost_value),
                     "reasons": dict(act.lost_reasons)}},
        "attention": _attention(report),
    }


def funnel_data(report: FunnelReport) -> dict[str, Any]:
    return {
        "kind": DigestKind.FUNNEL.value, "team": report.team, "week": report.week,
        "start": utc_text(report.start), "end": utc_text(report.end),
        "timezone": report.timezone, "currency": report.currency,
        "stages": [{"name": s.name, "entered": s.entered, "entered_prev": s.entered_prev,
                    "flow_conversion": s.flow_conversion,
                    "flow_conversion_prev": s.flow_conversion_prev,
                    "cohort_reached": s.cohort_reached, "cohort_share": s.cohort_share,
                    "cohort_step": s.cohort_step} for s in report.stages],
        "cohort": {"start": utc_text(report.cohort_start), "end": utc_text(report.end),
                   "size": report.cohort_size},
        "sources": [{"source": s.source, "new_leads": s.new_leads,
                     "became_deals": s.became_deals} for s in report.sources],
        "sources_tag": report.sources_tag,  # the sources count only this tag's leads
        "deals": {"won": report.deals.won, "won_value": money_text(report.deals.won_value),
                  "lost": report.deals.lost, "win_rate": report.deals.win_rate},
        "spend": money_text(report.spend), "cac": money_text(report.cac),
        "cac_by_source": {k: money_text(v) for k, v in report.cac_by_source.items()},
        "median_days_lead_to_deal": report.median_days_lead_to_deal,
        "median_days_deal_to_won": report.median_days_deal_to_won,
    }


def _figures(figures: Figures) -> dict[str, Any]:
    return {"count": figures.count, "value": money_text(figures.value),
            "weighted": money_text(figures.weighted)}


def forecast_data(report: Forecast) -> dict[str, Any]:
    leads, pace = report.from_leads, report.velocity
    return {
        "kind": "forecast", "team": report.team, "as_of": utc_text(report.as_of),
        "currency": report.currency, "timezone": report.timezone,
        "period": report.period.value, "owner": report.owner,
        "commit_stage": report.commit_stage,
        "periods": [{"label": p.period.label, "start": utc_text(p.period.start),
                     "end": utc_text(p.period.end),
                     "won": {"count": p.won_count, "value": money_text(p.won_value)},
                     "open": _figures(p.open), "commit": money_text(p.commit),
                     "best_case": money_text(p.best_case), "target": money_text(p.target),
                     "attainment": p.attainment, "coverage": p.coverage}
                    for p in report.periods],
        "later": _figures(report.later), "no_close_date": _figures(report.no_close_date),
        "from_leads": {"window_weeks": leads.window_weeks,
                       "stages": [{"name": s.name, "open_leads": s.open_leads,
                                   "rate_to_customer": s.rate_to_customer}
                                  for s in leads.stages],
                       "expected_customers": leads.expected_customers,
                       "expected_value": money_text(leads.expected_value)},
        "velocity": {"win_rate": pace.win_rate,
                     "average_won_value": money_text(pace.average_won_value),
                     "median_days_to_win": pace.median_days_to_win,
                     "open_deals": pace.open_deals, "per_day": money_text(pace.per_day)},
    }
