"""The reports as plain JSON-ready data, with exactly the keys of PRODUCT.md "Reports as
data": money as decimal strings with two decimals, rates and shares as plain numbers, None
(null) where a denominator is 0, times as ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from storage.kinds import DigestKind
from storage.reports.attention import AttentionDeal, AttentionList
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
        "deals": {"won": report.deals.won, "won_value": money_text(report.deals.won_value),
                  "lost": report.deals.lost, "win_rate": report.deals.win_rate},
        "spend": money_text(report.spend), "cac": money_text(report.cac),
        "cac_by_source": {k: money_text(v) for k, v in report.cac_by_source.items()},
        "median_days_lead_to_deal": report.median_days_lead_to_deal,
        "median_days_deal_to_won": report.median_days_deal_to_won,
    }
