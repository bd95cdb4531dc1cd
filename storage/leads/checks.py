"""Checks on what people type about leads: names, contacts, notes and reasons."""

from __future__ import annotations

import re

from storage.errors import UsageError

MAX_NAME = 200
MAX_CONTACT = 200
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[\d\s().-]{6,30}")


def check_lead_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise UsageError("A lead needs a name.")
    if len(clean) > MAX_NAME:
        raise UsageError(f"A name can be at most {MAX_NAME} characters; this one has "
                         f"{len(clean)}.")
    return clean


def check_company(company: str | None) -> str | None:
    clean = " ".join((company or "").split())
    if len(clean) > MAX_NAME:
        raise UsageError(f"A company name can be at most {MAX_NAME} characters.")
    return clean or None


def check_contact(contact: str | None) -> str | None:
    """An email address or a phone number (at least 6 digits), or None."""
    clean = (contact or "").strip()
    if not clean:
        return None
    if len(clean) > MAX_CONTACT:
        raise UsageError(f"A contact can be at most {MAX_CONTACT} characters.")
    digits = sum(c.isdigit() for c in clean)
    if EMAIL.fullmatch(clean) or (PHONE.fullmatch(clean) and digits >= 6):
        return clean
    raise UsageError(f"`{clean}` is neither an email address nor a phone number.",
                     usage="`contact:jane@globex.com` or `contact:+47 22 33 44 55`")
