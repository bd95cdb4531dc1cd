"""Nudges: the direct message a person gets once a day about their own deals and leads that
need them (settings.py: when; items.py: what, and snoozes; ledger.py: at most once a day)."""
