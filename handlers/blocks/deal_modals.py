"""The modals of a deal: Lost (why), Add note, Edit, the create form of `/deal new`, and
Add to deal (a Slack message as a note, on a deal picked by typing).

The create and edit forms share their inputs (ids.DEAL_FORM_*); every input's block_id is
its action_id, so a submission error names the field it belongs to.
"""

from __future__ import annotations

from decimal import Decimal

from handlers import ids, messages
from handlers.blocks.format import clip, context, escape, option, section
from storage import text_fields
from storage.deals.views import DealView
from storage.stages import StageView

# The tags as typed in the form: the stored text (tags and a space between two) with a `#`
# before each tag, of which there are at most half as many as characters.
TAGS_TYPED = text_fields.TAGS.limit + (text_fields.TAGS.limit + 1) // 2


def modal(callback_id: str, title: str, submit: str | None, metadata: str,
          blocks: list[dict]) -> dict:
    view = {"type": "modal", "callback_id": callback_id,
            "title": {"type": "plain_text", "text": clip(title, 24)},
            "close": {"type": "plain_text", "text": "Cancel" if submit else "Close"},
            "private_metadata": metadata, "blocks": blocks}
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit}
    return view


def _input(block_id: str, label: str, element: dict, *, optional: bool = False,
           hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": block_id, "optional": optional,
             "label": {"type": "plain_text", "text": label},
             "element": {**element, "action_id": block_id}}
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text(initial: str | None = None, *, max_length: int, multiline: bool = False) -> dict:
    element: dict = {"type": "plain_text_input", "max_length": max_length,
                     "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    return element


def _date(initial: object | None) -> dict:
    element: dict = {"type": "datepicker"}
    if initial is not None:
        element["initial_date"] = str(initial)
    return element


# the parts of every form (also the lead forms)
form_input, text_input, date_input = _input, _text, _date


def _subject(deal: DealView) -> str:
    return f"*#{deal.number} {escape(clip(deal.name, 200))}*"


def lost_modal(deal: DealView, reasons: tuple[str, ...], metadata: str) -> dict:
    """Why the deal was lost: one of the workspace's recent reasons, or a new one."""
    blocks = [section(f"{_subject(deal)} closes as lost. Pick a reason the team gave before, "
                      "or write a new one.")]
    if reasons:
        blocks.append(_input(ids.DEAL_LOST_PICK_BLOCK, "Recent reasons", {
            "type": "static_select",
            "placeholder": {"type": "plain_text", "text": "Pick a reason"},
            "options": [option(r, r) for r in reasons[:100]]}, optional=True))
    blocks.append(_input(ids.DEAL_LOST_REASON_BLOCK, "Or in your words",
                         _text(max_length=text_fields.LOST_REASON.limit), optional=True,
                         hint="This wins over the picked reason when you fill in both."))
    return modal(ids.DEAL_LOST_MODAL, "Deal lost", "Close as lost", metadata, blocks)


def note_modal(deal: DealView, metadata: str) -> dict:
    """A note about a contact; its submission makes the deal's last contact now."""
    return modal(ids.DEAL_NOTE_MODAL, "Add note", "Save note", metadata, [
        section(f"What happened with {_subject(deal)}? Saving it logs a contact now."),
        _input(ids.DEAL_NOTE_BLOCK, "Note",
               _text(max_length=text_fields.NOTE.limit, multiline=True)),
    ])


def capture_modal(note: str, metadata: str, *, length: int, notice: str | None = None,
                  kind: str = "deal") -> dict:
    """Add to deal (or Add to lead, `kind`): a type-ahead picker and the message's text
    (`length` characters long before it was cut to a note's limit) as the note; `notice`
    says why the note will have no link to the message."""
    picker = {"type": "external_select", "min_query_length": 0,
              "placeholder": {"type": "plain_text", "text": f"Type a {kind}'s name or #number"}}
    pick = ids.PICK_DEAL if kind == "deal" else ids.PICK_LEAD
    blocks = [section(messages.CAPTURE_INTRO[kind]), _input(pick, kind.title(), picker),
              _input(ids.CAPTURE_NOTE_BLOCK, "Note", _text(
                  note or None, max_length=text_fields.NOTE.limit, multiline=True))]
    remarks = ([messages.CAPTURE_NO_TEXT] if not length else
               [messages.CAPTURE_SHORTENED.format(length=length, limit=text_fields.NOTE.limit)]
               if length > len(note) else [])
    if notice:
        remarks.append(f":warning: {escape(messages.NO_LINK_SAVED.format(why=notice))}")
    if remarks:
        blocks.append(context(*remarks))
    return modal(ids.CAPTURE_MODAL if kind == "deal" else ids.LEAD_CAPTURE_MODAL,
                 f"Add to {kind}", "Save note", metadata, blocks)


def edit_modal(deal: DealView, metadata: str) -> dict:
    """Every field of the deal a person edits, filled in with what it holds now."""
    return modal(ids.DEAL_EDIT_MODAL, f"Edit deal #{deal.number}", "Save", metadata,
                 _form_inputs(deal, None))


def create_modal(stages: list[StageView], metadata: str, *, owner: str) -> dict:
    """The form behind `/deal new` without arguments."""
    return modal(ids.DEAL_CREATE_MODAL, "New deal", "Create", metadata,
                 _form_inputs(None, stages, owner=owner))


def _form_inputs(deal: DealView | None, stages: list[StageView] | None, *,
                 owner: str | None = None) -> list[dict]:
    owner_element: dict = {"type": "users_select"}
    if (owner := deal.owner if deal else owner):
        owner_element["initial_user"] = owner
    blocks = [_input(ids.DEAL_FORM_NAME, "Name", _text(deal.name if deal else None,
                                                        max_length=text_fields.DEAL_NAME.limit)),
              _input(ids.DEAL_FORM_VALUE, "Value", _text(_amount(deal), max_length=40),
                     optional=True, hint="For example 50k, 50000 or $1.2m")]
    if stages is not None:
        choices = [option(s.name, s.name) for s in stages if s.is_open][:100]
        blocks.append(_input(ids.DEAL_FORM_STAGE, "Stage", {
            "type": "static_select", "options": choices, "initial_option": choices[0]}))
    blocks += [
        _input(ids.DEAL_FORM_CLOSE, "Expected close", _date(deal and deal.expected_close),
               optional=True),
        _input(ids.DEAL_FORM_OWNER, "Owner", owner_element),
        _input(ids.DEAL_FORM_NEXT, "Next action",
               _text(deal.next_action if deal else None,
                     max_length=text_fields.NEXT_ACTION.limit),
               optional=True),
        _input(ids.DEAL_FORM_DUE, "Next action due", _date(deal and deal.next_action_due),
               optional=True),
        _input(ids.DEAL_FORM_TAGS, "Tags", _text(_tags(deal), max_length=TAGS_TYPED), optional=True,
               hint="Words starting with #, for example #q4 #renewal"),
    ]
    return blocks


def _amount(deal: DealView | None) -> str | None:
    if deal is None or not deal.value:
        return None
    value: Decimal = deal.value
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _tags(deal: DealView | None) -> str | None:
    return " ".join(f"#{t}" for t in deal.tags) if deal and deal.tags else None
