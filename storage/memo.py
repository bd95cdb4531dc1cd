"""Reads remembered for the rest of one transaction: a team's pipeline and stages, a deal
looked up by number. A request reads each once, however many operations and views ask.

Nothing is remembered across transactions, so a rename (or any change another request
makes) is seen by the next request: no cache to invalidate between app instances. Within
the transaction the remembered rows are the session's own objects, so changes made to them
show at once; what changes their set or order (a stage added or reordered) calls `forget`.
A rollback (also of a savepoint) forgets everything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")
_KEY = "dealbot.memo"


def remembered(session: Session, key: Hashable, load: Callable[[], T]) -> T:
    """`load()`'s result, read once per transaction under `key`. None is not remembered."""
    memo: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    if key in memo:
        return memo[key]
    value = load()
    if value is not None:
        memo[key] = value
    return value


def recall(session: Session, key: Hashable) -> Any:
    """What is remembered under `key`, or None; reads nothing."""
    return session.info.get(_KEY, {}).get(key)


def remember(session: Session, key: Hashable, value: object) -> None:
    session.info.setdefault(_KEY, {})[key] = value


def forget(session: Session, key: Hashable) -> None:
    session.info.get(_KEY, {}).pop(key, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_all(session: Session, _transaction: object) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_commit")
def _forget_all_on_commit(session: Session) -> None:
    session.info.pop(_KEY, None)
