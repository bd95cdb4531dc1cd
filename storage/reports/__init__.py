"""The two reports: the pipeline summary at a time T and the funnel conversion report for an
ISO week in a time zone, as frozen values (and their JSON form, `as_data`)."""
