"""What a type-ahead picker offers: the answer to Slack's `block_suggestion`, at most 100
options of at most 75 characters each, in the order storage found them."""

from __future__ import annotations

from handlers.blocks.format import clip, option
from storage.deals.choices import DealChoice

OPTION_TEXT = 75


def deal_options(choices: tuple[DealChoice, ...]) -> list[dict]:
    """`#12 Acme Corp · Proposal`: the name is shortened so that the number and the stage
    always show. Option texts are plain_text: names are shown exactly as typed."""
    return [option(_label(c), str(c.number)) for c in choices[:100]]


def _label(choice: DealChoice) -> str:
    number, stage = f"#{choice.number} ", f" · {clip(choice.stage, 20)}"
    return number + clip(choice.name, OPTION_TEXT - len(number) - len(stage)) + stage
