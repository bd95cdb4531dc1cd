"""`/deal list` and `/lead list`, a page at a time.

The command shows the first page, ephemerally. Its **Previous** and **Next** buttons carry
the list's filters and where the page they show starts (`ListQuery`, as JSON in the
button's value); a click reads that page from the database (LIMIT/OFFSET) and redraws the
same ephemeral message through the click's response_url (replace_original). A page past
the end (deals closed meanwhile) is the last page. A value Dealbot did not draw is answered,
never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from functools import partial

from slack_bolt import Ack, App

from handlers import ids, messages
from handlers.blocks.deal_lists import deal_list_blocks
from handlers.blocks.format import Pages, counted
from handlers.blocks.lead_lists import lead_list_blocks
from handlers.deps import Deps
from handlers.replies import Respond, answering_errors, redraw
from storage.deals import queries as deal_queries
from storage.errors import NoSuchRecord, NotFound, UsageError
from storage.kinds import ListView
from storage.leads import queries as lead_queries

PAGE = 25  # lines a page: with its count, context and buttons, well under 50 blocks
DEAL_VIEWS = frozenset(ListView)
LEAD_VIEWS = frozenset({ListView.OPEN, ListView.ALL, ListView.STALE})


@dataclass(frozen=True)
class ListQuery:
    """Which list, filtered how, from where: what a page button carries."""

    kind: str  # "deal" or "lead"
    stage: str | None = None
    owner: str | None = None
    tag: str | None = None
    view: str | None = None
    company: str | None = None
    source: str | None = None  # leads
    offset: int = 0

    def value(self, offset: int) -> str:
        wanted = {k: v for k, v in asdict(replace(self, offset=offset)).items() if v}
        return json.dumps(wanted, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def read(cls, value: str) -> ListQuery:
        try:
            wanted = json.loads(value)
            query = cls(**wanted)
        except (ValueError, TypeError):
            raise UsageError(messages.NOT_OUR_LIST) from None
        texts = (query.stage, query.owner, query.tag, query.view, query.company, query.source)
        if (query.kind not in ("deal", "lead") or not isinstance(query.offset, int)
                or query.offset < 0 or not all(t is None or isinstance(t, str) for t in texts)
                or (query.view is not None and query.view not in
                    (DEAL_VIEWS if query.kind == "deal" else LEAD_VIEWS))):
            raise UsageError(messages.NOT_OUR_LIST)
        return query


@contextmanager
def list_words(kind: str) -> Iterator[None]:
    """A word of a list's filters that is wrong is answered with the list's form; one that
    names no stage, also with the words the list understands besides stages."""
    usage = (messages.DEAL_USAGE if kind == "deal" else messages.LEAD_USAGE)["list"]
    try:
        yield
    except NoSuchRecord:
        raise
    except NotFound as error:  # the stage words name no stage
        raise UsageError(messages.LIST_UNKNOWN.format(
            error=error.message, kind=kind, words=messages.LIST_WORDS[kind]),
            usage=usage) from None
    except UsageError as error:
        error.usage = error.usage or usage
        raise


def list_page(deps: Deps, team: str, query: ListQuery, now: datetime) -> tuple[list[dict], str]:
    """The page `query` asks for, as blocks and the message's text; one transaction."""
    view = ListView(query.view) if query.view else None
    with list_words(query.kind), deps.db.transaction() as s:
        if query.kind == "deal":
            deals = deal_queries.list_deals(
                s, team=team, stage=query.stage, owner=query.owner, tag=query.tag,
                company=query.company, view=view, now=now, limit=PAGE, offset=query.offset)
            return (deal_list_blocks(deals, _pages(query, deals.offset, len(deals.deals),
                                                   deals.total)), counted(deals.total, "deal"))
        leads = lead_queries.list_leads(
            s, team=team, stage=query.stage, source=query.source, owner=query.owner,
            tag=query.tag, company=query.company, view=view, now=now, limit=PAGE,
            offset=query.offset)
        return (lead_list_blocks(leads, _pages(query, leads.offset, len(leads.leads),
                                               leads.total), now), counted(leads.total, "lead"))


def _pages(query: ListQuery, offset: int, shown: int, total: int) -> Pages:
    return Pages(first=offset + 1, shown=shown, total=total,
                 previous=query.value(max(offset - PAGE, 0)) if offset > 0 else None,
                 next=query.value(offset + PAGE) if offset + shown < total else None)


def on_page(ack: Ack, body: dict, action: dict, respond: Respond, *, deps: Deps) -> None:
    ack()
    with answering_errors(respond):
        query = ListQuery.read(str(action.get("value") or ""))
        blocks, text = list_page(deps, body["team"]["id"], query, deps.clock())
        redraw(respond, blocks, text)


def register(app: App, deps: Deps) -> None:
    for action_id in (ids.LIST_PREVIOUS, ids.LIST_NEXT):
        app.action(action_id)(partial(on_page, deps=deps))
