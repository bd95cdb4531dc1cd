"""Slack's mrkdwn as terminal text: mentions as @name, dates in the local zone, entities
decoded, *bold* and `code` in colour on a terminal (plain when piped), and a word wrapper
that measures what is visible, not the colour codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ANGLE = re.compile(r"<([^<>\n]+)>")
EMOJI = {
    "briefcase": "💼", "trophy": "🏆", "x": "❌", "warning": "⚠️", "information_source": "ℹ️",
    "white_check_mark": "✅", "chart_with_upwards_trend": "📈", "bar_chart": "📊",
    "hourglass": "⏳", "calendar": "📅", "moneybag": "💰", "seedling": "🌱", "fire": "🔥",
    "tada": "🎉", "memo": "📝", "bust_in_silhouette": "👤", "mag": "🔍", "zzz": "💤",
    "arrow_right": "→", "arrow_up": "↑", "arrow_down": "↓", "heavy_check_mark": "✔",
    "rotating_light": "🚨", "house": "🏠", "inbox_tray": "📥", "busts_in_silhouette": "👥",
    "wastebasket": "🗑", "handshake": "🤝", "chart_with_downwards_trend": "📉",
    "money_with_wings": "💸", "dart": "🎯", "sparkles": "✨", "alarm_clock": "⏰",
    "pushpin": "📌", "star": "⭐", "clipboard": "📋", "email": "📧", "phone": "📞",
}
CODES = {"bold": "1", "italic": "3", "strike": "9", "code": "36", "dim": "2", "number": "1;33",
         "primary": "32", "danger": "31"}


@dataclass(frozen=True)
class Style:
    """How to draw: colours or not, the width, the zone for dates, user names by id."""

    color: bool = False
    width: int = 80
    zone: tzinfo | None = None
    name_of: Callable[[str], str] = str
    now: Callable[[], datetime] = datetime.now

    def paint(self, text: str, kind: str) -> str:
        return f"\x1b[{CODES[kind]}m{text}\x1b[0m" if self.color and text else text


def visible_len(text: str) -> int:
    return len(ANSI.sub("", text))


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap on spaces (non-breaking spaces, as in `50 000 kr`, keep words
    together and are drawn as spaces), by visible length; a word longer than the width
    stands on its own line."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for word in raw.split(" "):
            if line and visible_len(line) + 1 + visible_len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return [line.replace("\u00a0", " ").replace("\u202f", " ") for line in lines]


def to_text(mrkdwn: str, style: Style) -> str:
    """The text a reader sees in Slack, for the terminal."""
    text = mrkdwn.replace("```", "")
    text = ANGLE.sub(lambda m: _angle(m.group(1), style), text)
    text = re.sub(r":([a-z0-9_+-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    parts = re.split(r"(`[^`\n]+`)", text)  # code spans are left alone by the other marks
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = style.paint(part[1:-1], "code") if style.color else part
        else:
            parts[i] = _emphasis(part, style)
    text = "".join(parts)
    text = re.sub(r"(?m)^(&gt;|>) ?", "│ ", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emphasis(text: str, style: Style) -> str:
    for mark, kind in (("*", "bold"), ("_", "italic"), ("~", "strike")):
        m_ = re.escape(mark)
        pattern = rf"(?<![\w{m_}]){m_}(?=\S)([^{m_}\n]+?)(?<=\S){m_}(?![\w{m_}])"
        keep = kind == "strike" and not style.color

        def paint(found: re.Match[str], keep: bool = keep, kind: str = kind) -> str:
            return found.group(0) if keep else style.paint(found.group(1), kind)

        text = re.sub(pattern, paint, text)
    return text


def _angle(inner: str, style: Style) -> str:
    head, _, label = inner.partition("|")
    if head.startswith("@"):
        name = style.name_of(head[1:])
        return "@" + (label if name == head[1:] and label else name)
    if head.startswith("#"):
        return "#" + (label or head[1:])
    if head.startswith("!date^"):
        return _date(inner, style)
    if head.startswith("!subteam^"):
        return label or "@team"
    if head.startswith("!"):
        return "@" + head[1:]
    return f"{label} ({head})" if label and label != head else head


def _date(inner: str, style: Style) -> str:
    """`<!date^UNIX^{tokens}^optional_link|fallback>` in the console's zone."""
    head, _, fallback = inner.partition("|")
    parts = head.split("^")
    if len(parts) < 3 or not parts[1].lstrip("-").isdigit():
        return fallback or head
    when = datetime.fromtimestamp(int(parts[1])).astimezone(style.zone)
    today = style.now().astimezone(style.zone).date()
    return re.sub(r"\{(\w+)\}", lambda m: _date_token(m.group(1), when, today) or m.group(0),
                  parts[2])


def _date_token(token: str, when: datetime, today: date) -> str | None:
    day = when.date()
    long = f"{when:%B} {_ordinal(day.day)}, {day.year}"
    short = f"{when:%b} {day.day}, {day.year}"
    relative = {today: "today", today - timedelta(days=1): "yesterday",
                today + timedelta(days=1): "tomorrow"}.get(day)
    tokens = {"date_num": day.isoformat(), "date": long, "date_short": short,
              "date_long": f"{when:%A}, {long}", "date_pretty": relative or long,
              "date_short_pretty": relative or short,
              "date_long_pretty": relative or f"{when:%A}, {long}",
              "time": f"{when:%H:%M}", "time_secs": f"{when:%H:%M:%S}"}
    return tokens.get(token)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
