"""What every request passes before its listener, as one Bolt middleware.

Each step looks at the request and either answers it (a late request, a repeated delivery)
or lets it go on (returns None). Bolt builds every argument a middleware could ask for each
time it calls one (about fifty Python calls), so one middleware running the steps in turn
builds them once a request instead of once a step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from slack_bolt import App, BoltRequest, BoltResponse

Step = Callable[[BoltRequest], BoltResponse | None]


def register(app: App, steps: Sequence[Step]) -> None:
    @app.middleware
    def before_listeners(request: BoltRequest,
                         next: Callable[[], BoltResponse]) -> BoltResponse | None:
        for step in steps:
            answer = step(request)
            if answer is not None:
                return answer
        return next()
