"""The names under which the report statements take their values.

The statements are built once per shape of pipeline (its number of open stages, whose ids
are bound values too) and kept, with functools.lru_cache: building one takes more Python time
than PostgreSQL takes to run most of them, and a kept statement also keeps SQLAlchemy's
compiled form. The values are bound at each execution, by these names.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, bindparam

from storage.models import UTCDateTime

TEAM = bindparam("team", type_=String())
AT = bindparam("at", type_=UTCDateTime())  # the time of a pipeline summary
SINCE = bindparam("since", type_=UTCDateTime())  # the start of its activity window
UNTIL = bindparam("until", type_=UTCDateTime())  # the end of an activity window
LIMIT = bindparam("limit", type_=Integer())  # deals per attention list
START = bindparam("start", type_=UTCDateTime())  # a funnel report's week [START, END)
END = bindparam("end", type_=UTCDateTime())
PREV_START = bindparam("prev_start", type_=UTCDateTime())  # the week before: [PREV_START, START)
COHORT_START = bindparam("cohort_start", type_=UTCDateTime())  # the cohort: [COHORT_START, END)
MONDAY = bindparam("monday", type_=Date())  # the week's date, as spend is recorded
