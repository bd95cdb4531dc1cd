"""Every action_id, block_id and callback_id the app renders and listens for."""

DEAL_CARD_ACTIONS = "deal.card.actions"
DEAL_ADVANCE = "deal.advance"
DEAL_PICK_STAGE = "deal.pick_stage"
DEAL_WON = "deal.won"
DEAL_LOST = "deal.lost"
DEAL_ASSIGN_ME = "deal.assign_me"
DEAL_ADD_NOTE = "deal.add_note"
DEAL_EDIT = "deal.edit"
DEAL_REOPEN = "deal.reopen"
DEAL_SHOW = "deal.show"

LEAD_CARD_ACTIONS = "lead.card.actions"
LEAD_ADVANCE = "lead.advance"
LEAD_PICK_STAGE = "lead.pick_stage"
LEAD_CONVERT = "lead.convert"
LEAD_DROP = "lead.drop"
LEAD_CONVERT_MODAL = "lead.convert.modal"
LEAD_CONVERT_VALUE_BLOCK = "lead.convert.value_block"
LEAD_CONVERT_VALUE = "lead.convert.value"
LEAD_CONVERT_STAGE_BLOCK = "lead.convert.stage_block"
LEAD_CONVERT_STAGE = "lead.convert.stage"
LEAD_CONVERT_OWNER_BLOCK = "lead.convert.owner_block"
LEAD_CONVERT_OWNER = "lead.convert.owner"
LEAD_DROP_MODAL = "lead.drop.modal"
LEAD_DROP_REASON_BLOCK = "lead.drop.reason_block"
LEAD_DROP_REASON = "lead.drop.reason"
LEAD_ADD_NOTE = "lead.add_note"
LEAD_NOTE_MODAL = "lead.note.modal"
LEAD_NOTE_BLOCK = "lead.note.text"

# Deal modals: an input's action_id is its block_id; create and edit share theirs.
DEAL_LOST_MODAL = "deal.lost.modal"
DEAL_LOST_PICK_BLOCK = "deal.lost.pick_block"
DEAL_LOST_REASON_BLOCK = "deal.lost.reason_block"
DEAL_NOTE_MODAL = "deal.note.modal"
DEAL_NOTE_BLOCK = "deal.note.block"
DEAL_EDIT_MODAL = "deal.edit.modal"
DEAL_CREATE_MODAL = "deal.create.modal"
DEAL_FORM_NAME = "deal.form.name"
DEAL_FORM_VALUE = "deal.form.value"
DEAL_FORM_STAGE = "deal.form.stage"
DEAL_FORM_CLOSE = "deal.form.close"
DEAL_FORM_OWNER = "deal.form.owner"
DEAL_FORM_NEXT = "deal.form.next"
DEAL_FORM_DUE = "deal.form.due"
DEAL_FORM_TAGS = "deal.form.tags"

# The App Home tab, and the modals it opens.
HOME_NEW_DEAL = "home.new_deal"
HOME_PIPELINE = "home.pipeline"
HOME_MORE_DEALS = "home.more_deals"
HOME_ACTIONS = "home.actions"
HOME_DEAL_ACTIONS = "home.deal"  # + "~<deal number>": one actions block per deal
PIPELINE_MODAL = "home.pipeline.modal"
MY_DEALS_MODAL = "home.my_deals.modal"
PER_ITEM = "~"  # a deal's element in a list repeats a card action_id: `deal.won~12`

# Reports (/pipeline, /funnel) and their digests.
REPORT_ACTIONS = "report.actions"
REPORT_SHARE = "report.share"
REPORT_DEAL = "report.deal"  # + ".<list>~<deal number>": opens that deal's card

# `/deal list` and `/lead list` pages: Previous and Next redraw the same message.
LIST_PAGES = "list.pages"
LIST_PREVIOUS = "list.previous"
LIST_NEXT = "list.next"

# Shortcuts (the manifest's features.shortcuts), and what they open.
SHORTCUT_ADD_TO_DEAL = "add_to_deal"  # message shortcuts
SHORTCUT_ADD_TO_LEAD = "add_to_lead"
SHORTCUT_NEW_DEAL = "new_deal"  # global shortcuts
SHORTCUT_NEW_LEAD = "new_lead"
CAPTURE_MODAL = "deal.capture.modal"
CAPTURE_NOTE_BLOCK = "deal.capture.note"
LEAD_CAPTURE_MODAL = "lead.capture.modal"
# The type-ahead deal and lead pickers (external_selects; options from `app.options`).
PICK_DEAL = "deal.pick"
PICK_LEAD = "lead.pick"

LEAD_CREATE_MODAL = "lead.create.modal"
LEAD_FORM_NAME = "lead.form.name"
LEAD_FORM_COMPANY = "lead.form.company"
LEAD_FORM_SOURCE = "lead.form.source"
LEAD_FORM_STAGE = "lead.form.stage"
LEAD_FORM_OWNER = "lead.form.owner"
LEAD_FORM_CONTACT = "lead.form.contact"
LEAD_FORM_TAGS = "lead.form.tags"
LEAD_FORM_NEXT = "lead.form.next"
LEAD_FORM_DUE = "lead.form.due"
LEAD_EDIT = "lead.edit"
LEAD_EDIT_MODAL = "lead.edit.modal"

# Nudges: the daily direct message. Each line's elements carry `~d<number>` or `~l<number>`
# (a deal or a lead) so that every action_id of the message is its own; values say
# `deal:<number>` or `lead:<number>` (the snooze's options add `:<days>`).
NUDGE_SNOOZE = "nudge.snooze"
NUDGE_LOG = "nudge.log"
NUDGE_OPEN = "nudge.open"
NUDGE_ALL = "nudge.all"
NUDGE_ITEM = "nudge.item"  # + "~d12": the line's actions block
NUDGE_NOTE_MODAL = "nudge.note.modal"
NUDGE_NOTE_BLOCK = "nudge.note.block"

# Undo: the button on the confirmation of a change (value `<change id>:<deal|lead>:<number>`,
# the change and the record whose card it is on).
UNDO_ACTIONS = "change.undo.actions"
UNDO = "change.undo"
