"""Block Kit drawn as terminal text, with every button and menu option numbered.

Sections, fields (two columns, as Slack lays them out), headers, context, dividers, images,
rich text, tables (aligned columns, aligned as the table says) and inputs become lines no
wider than the style's width. Each clickable thing
drawn is appended to `targets`; its number is its position there, counted from 1.
"""

from __future__ import annotations

from bot.console.engine import Message, Target
from bot.console.mrkdwn import Style, to_text, visible_len, wrap
from bot.slack_standin.blockkit import options

MENUS = ("static_select", "overflow", "radio_buttons", "checkboxes", "multi_static_select")
PICKERS = {"users_select": "pick a user", "multi_users_select": "pick a user",
           "datepicker": "pick a date", "conversations_select": "pick a channel",
           "channels_select": "pick a channel"}
INDENT = "  "


def text_of(obj: dict | None, style: Style) -> str:
    """A text object (mrkdwn or plain_text) as terminal text."""
    if not obj:
        return ""
    raw = obj.get("text", "")
    return to_text(raw, style) if obj.get("type") == "mrkdwn" else raw


def draw_blocks(blocks: list[dict], style: Style, targets: list[Target], *,
                message: Message | None = None, view: dict | None = None) -> list[str]:
    """The blocks as lines, indented; clickable elements are numbered into `targets`."""
    width = style.width - len(INDENT)
    lines: list[str] = []
    for block in blocks:
        where = {"message": message, "view": view}
        kind = block.get("type")
        if kind == "section":
            if block.get("text"):
                lines += wrap(text_of(block["text"], style), width)
            if block.get("fields"):
                lines += _columns([text_of(f, style) for f in block["fields"]], width)
            if block.get("accessory"):
                lines += _elements(block, [block["accessory"]], style, targets, width, where)
        elif kind == "header":
            title = text_of(block.get("text"), style)
            lines += [style.paint(title, "bold"), "─" * min(visible_len(title), width)]
        elif kind == "context":
            parts = [text_of(e, style) if "text" in e else f"[{e.get('alt_text', 'image')}]"
                     for e in block.get("elements", [])]
            lines += [style.paint(line, "dim") for line in wrap("   ".join(parts), width)]
        elif kind == "divider":
            lines.append(style.paint("─" * width, "dim"))
        elif kind == "actions":
            lines += _elements(block, block.get("elements", []), style, targets, width, where)
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "rich_text":
            lines += wrap(_rich_text(block, style), width)
        elif kind == "table":
            lines += _table(block, style, width)
        elif kind == "input":
            label = text_of(block.get("label"), style)
            lines.append(f"✎ {label}" + (" (optional)" if block.get("optional") else ""))
    return [INDENT + line if line else "" for line in lines]


def _columns(texts: list[str], width: int) -> list[str]:
    """Fields side by side, two to a row, like Slack on a desktop."""
    column = (width - 2) // 2
    lines: list[str] = []
    for i in range(0, len(texts), 2):
        left = wrap(texts[i], column)
        right = wrap(texts[i + 1], column) if i + 1 < len(texts) else []
        for row in range(max(len(left), len(right))):
            a = left[row] if row < len(left) else ""
            b = right[row] if row < len(right) else ""
            lines.append((a + " " * (column + 2 - visible_len(a)) + b).rstrip())
    return lines


def _table(block: dict, style: Style, width: int) -> list[str]:
    """The rows as columns two spaces apart, each cell aligned as its column's settings say
    (left unless told), the header row in bold over a rule. When the table is wider than the
    terminal, wrapped columns give up width first, their cells wrapping onto more lines."""
    rows = [[" ".join((_rich_text(c, style) if c.get("type") == "rich_text"
                       else str(c.get("text", ""))).split()) for c in row]
            for row in block.get("rows", [])]
    if not rows:
        return []
    settings = list(block.get("column_settings") or []) + [{}] * len(rows[0])
    widths = [max(visible_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    wrapped = [i for i in range(len(widths)) if (settings[i] or {}).get("is_wrapped")]
    while sum(widths) + 2 * (len(widths) - 1) > width and wrapped:
        widest = max(wrapped, key=lambda i: widths[i])
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    lines: list[str] = []
    for number, row in enumerate(rows):
        cells = [wrap(text, widths[i]) for i, text in enumerate(row)]
        for line in range(max(len(c) for c in cells)):
            parts = [_aligned(c[line] if line < len(c) else "", widths[i],
                              (settings[i] or {}).get("align", "left"))
                     for i, c in enumerate(cells)]
            text = "  ".join(parts).rstrip()
            lines.append(style.paint(text, "bold") if number == 0 else text)
        if number == 0:
            lines.append(style.paint("─" * (sum(widths) + 2 * (len(widths) - 1)), "dim"))
    return lines


def _aligned(text: str, width: int, align: str) -> str:
    room = max(width - visible_len(text), 0)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def _elements(block: dict, elements: list[dict], style: Style, targets: list[Target],
              width: int, where: dict) -> list[str]:
    """Buttons (and pickers) on wrapped lines, then each menu on its own lines with its
    options numbered; numbers follow the order they are drawn in."""
    buttons: list[str] = []
    for element in elements:
        kind = element.get("type")
        if kind == "button":
            label = text_of(element.get("text"), style)
            buttons.append(_numbered(targets, Target(block, element, **where), label,
                                     style, element.get("style")))
        elif kind in PICKERS:
            label = text_of(element.get("placeholder"), style) or PICKERS[kind]
            buttons.append(_numbered(targets, Target(block, element, **where), label + " …",
                                     style))
    lines = _wrap_items(buttons, width)
    for element in elements:
        if element.get("type") in MENUS:
            lines += _wrap_items(_menu(block, element, style, targets, where), width)
    return lines


def _wrap_items(items: list[str], width: int) -> list[str]:
    """Items two spaces apart, wrapped between items only."""
    lines: list[str] = []
    for item in items:
        if lines and visible_len(lines[-1]) + 2 + visible_len(item) <= width:
            lines[-1] += "  " + item
        else:
            lines.append(item)
    return [line.replace("\u00a0", " ") for line in lines]


def _menu(block: dict, element: dict, style: Style, targets: list[Target],
          where: dict) -> list[str]:
    """The menu's label, then its options, each numbered."""
    label = text_of(element.get("placeholder"), style) or (
        "More" if element["type"] == "overflow" else "Choose")
    return [f"{label} ▾".replace(" ", "\u00a0")] + [
        _numbered(targets, Target(block, element, option=o, **where),
                  text_of(o.get("text"), style), style) for o in options(element)]


def _numbered(targets: list[Target], target: Target, label: str, style: Style,
              tone: str | None = None) -> str:
    targets.append(target)
    number = style.paint(f"[{len(targets)}]", "number")
    text = style.paint(label, tone) if tone in ("primary", "danger") else label
    return f"{number}\u00a0{text}".replace(" ", "\u00a0")


def _rich_text(block: dict, style: Style) -> str:
    out: list[str] = []
    for part in block.get("elements", []):
        inner = "".join(_rich_piece(e, style) for e in part.get("elements", [])
                        if isinstance(e, dict) and "elements" not in e)
        if part.get("type") == "rich_text_list":
            inner = "\n".join(
                "• " + "".join(_rich_piece(x, style) for x in item.get("elements", []))
                for item in part.get("elements", []))
        out.append(inner)
    return "\n".join(out)


def _rich_piece(element: dict, style: Style) -> str:
    kind = element.get("type")
    if kind == "text":
        return element.get("text", "")
    if kind == "user":
        return "@" + style.name_of(element.get("user_id", ""))
    if kind == "link":
        return element.get("text") or element.get("url", "")
    if kind == "emoji":
        return f":{element.get('name', '')}:"
    return ""
