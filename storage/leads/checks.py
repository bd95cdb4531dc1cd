"""Checks on what people type about leads: names, contacts, notes and reasons."""

from __future__ import annotations

import re

from storage import text_fields
from storage.errors import UsageError

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[\d\s().-]{6,30}")


def check_lead_name(name: str) -> str:
    return text_fields.LEAD_NAME.required(name, "A lead needs a name.")


def check_company(company: str | None) -> str | None:
    return text_fields.COMPANY.optional(company)


def check_contact(contact: str | None) -> str | None:
    """An email address or a phone number (at least 6 digits), or None."""
    clean = text_fields.CONTACT.clean(contact)
    if not clean:
        return None
    digits = sum(c.isdigit() for c in clean)
    if EMAIL.fullmatch(clean) or (PHONE.fullmatch(clean) and digits >= 6):
        return clean
    raise UsageError(f"`{clean}` is neither an email address nor a phone number.",
                     usage="`contact:jane@globex.com` or `contact:+47 22 33 44 55`")
