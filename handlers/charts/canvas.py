"""What every chart shares: the page, its colours and type, and turning it into PNG bytes.

The page is a solid white card, so a chart reads the same in Slack's light and dark themes.
Colours are from the Okabe-Ito palette, which stays distinct with every common colour vision
deficiency; where two series must be told apart they also differ in form (a filled bar
against a dashed outline), so nothing depends on colour alone. At scale 2 a chart is 1200 x
800 pixels, the size Slack previews at, drawn for a 600 x 400 point layout.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN = 6.0, 4.0  # the layout; pixels = inches x 100 x scale
BASE_DPI = 100
PAPER = "#ffffff"
INK = "#1a1a1a"  # text and last period's outline
MUTED = "#595959"  # secondary text, 7:1 on white
GRID = "#d9d9d9"
BLUE = "#0072B2"  # Okabe-Ito blue: this period
SKY = "#56B4E9"  # Okabe-Ito sky blue: the funnel's connecting bands, weighted values
GREEN = "#009E73"  # Okabe-Ito bluish green: the trend
FONT = "DejaVu Sans"  # matplotlib's own font: the same picture on every machine
# matplotlib is not thread-safe (its font cache and text layout are shared): the slow-work
# pool and the scheduler draw one chart at a time.
_drawing = threading.Lock()


def draw(paint: Callable[[Figure], None], *, scale: float = 2.0) -> bytes:
    """The PNG of a white page that `paint` drew on, `scale` x 600 by 400 pixels."""
    import matplotlib  # deferred: see handlers/charts/__init__.py

    with _drawing, matplotlib.rc_context({
            "font.family": FONT, "font.size": 9, "text.color": INK, "axes.edgecolor": GRID,
            "axes.labelcolor": MUTED, "xtick.color": MUTED, "ytick.color": MUTED,
            "axes.spines.top": False, "axes.spines.right": False,
            "text.parse_math": False}):  # `$` in money and names is text, never TeX
        figure = new_figure(scale)
        paint(figure)
        return png_bytes(figure)


def new_figure(scale: float = 2.0) -> Figure:
    """A blank white page of the charts' size, drawn later at `scale` (2: 1200 x 800 px)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=BASE_DPI * scale, facecolor=PAPER)
    figure.set_layout_engine(None)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The page as PNG, through an Agg canvas of its own (pyplot's global state is never
    touched)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=figure.dpi, facecolor=PAPER,
                   metadata={"Software": None})
    return out.getvalue()
