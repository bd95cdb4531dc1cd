"""Figures from one load run: HTTP answers as the load generator saw them, and the work as
the user sees it (the first response_url post of each request, at the stand-in)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from _load.generator import Result

LIMIT = 3.0  # Slack's acknowledgement limit, seconds


def quantile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def http_figures(result: Result, duration: float) -> dict[str, Any]:
    sent = result.sent
    answered = [s.seconds for s in sent if s.status]
    late = sum(1 for s in sent if not s.status or s.seconds > LIMIT)
    return {
        "requests": len(sent), "req_per_s": round(len(sent) / max(duration, result.wall), 1),
        "p50_ms": ms(quantile(answered, 0.50)), "p99_ms": ms(quantile(answered, 0.99)),
        "after_3s": round(late / len(sent), 4) if sent else None,
        "non_2xx": sum(1 for s in sent if not 200 <= s.status < 300),
        "http_404": sum(1 for s in sent if s.status == 404),
        "no_answer": sum(1 for s in sent if s.status == 0),
        "kinds": dict(Counter(s.kind for s in sent)),
        "generator_cpu": round(result.cpu / result.wall, 2) if result.wall else None,
    }


def work_figures(result: Result, arrivals: dict[str, float], outcomes: dict[str, str],
                 calls: Counter[str]) -> dict[str, Any]:
    done = [arrivals[s.rid] - s.start for s in result.sent if s.rid in arrivals]
    per_kind: dict[str, Counter[str]] = {}
    for s in result.sent:
        per_kind.setdefault(s.kind, Counter())[outcomes.get(s.rid, "never")] += 1
    count = len(result.sent) or 1
    return {
        "within_3s": sum(1 for d in done if d <= LIMIT), "later": sum(1 for d in done if d > LIMIT),
        "never": len(result.sent) - len(done),
        "p50_ms": ms(quantile(done, 0.50)), "p99_ms": ms(quantile(done, 0.99)),
        "outcomes": {kind: dict(c) for kind, c in per_kind.items()},
        "clicked_again": result.clicked_again,
        "web_api_per_request": {m: round(n / count, 2) for m, n in sorted(calls.items())},
    }


def _cell(value: object, width: int) -> str:
    if value is None:
        text = "-"
    elif isinstance(value, float):
        text = f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return text.rjust(width)


def http_table(rows: list[dict[str, Any]]) -> list[str]:
    head = (f"{'scenario':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'>3 s':>7}{'non-2xx':>9}"
            f"{'404':>6}{'x anchor':>10}{'gen CPU':>9}")
    lines = [head]
    for r in rows:
        h = r["http"]
        lines.append(f"{r['scenario']:<10}{_cell(h['req_per_s'], 9)}{_cell(h['p50_ms'], 9)}"
                     f"{_cell(h['p99_ms'], 9)}{h['after_3s']:>7.1%}{_cell(h['non_2xx'], 9)}"
                     f"{_cell(h['http_404'], 6)}{_cell(r.get('ratio'), 10)}"
                     f"{h['generator_cpu']:>9.0%}")
    return lines


def work_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [f"{'scenario':<10}{'<=3 s':>8}{'later':>7}{'never':>7}{'p50 ms':>9}{'p99 ms':>10}"
             "  answers (by request kind)"]
    for r in rows:
        w = r["work"]
        answers = "; ".join(f"{kind} " + ", ".join(f"{k} {n:,}" for k, n in sorted(c.items()))
                            for kind, c in sorted(w["outcomes"].items()))
        lines.append(f"{r['scenario']:<10}{_cell(w['within_3s'], 8)}{_cell(w['later'], 7)}"
                     f"{_cell(w['never'], 7)}{_cell(w['p50_ms'], 9)}{_cell(w['p99_ms'], 10)}"
                     f"  {answers}")
    return lines
