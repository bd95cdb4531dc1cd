"""Reading a chart's PNG back: its size, how much of it is drawn, and the bars of one colour."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def decoded(png: bytes) -> np.ndarray:
    """The picture as rows of RGB pixels; a file that is no whole PNG fails here."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return np.asarray(image.convert("RGB"))


def drawn_share(pixels: np.ndarray) -> float:
    """The share of pixels that are not the white page."""
    return float((pixels != 255).any(axis=2).mean())


def colours(pixels: np.ndarray) -> int:
    return len(np.unique(pixels.reshape(-1, 3), axis=0))


def bars(pixels: np.ndarray, colour: str, *, min_width: int = 50) -> list[int]:
    """The widths, top to bottom, of the horizontal bars painted `colour`: runs of rows that
    hold the colour, each as wide as its widest row (from its first pixel of exactly that
    colour to its last, so lines drawn across a bar do not cut it); marks narrower than
    `min_width` pixels (a legend's swatch) are left out."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    spans = [_span(row) for row in (pixels == rgb).all(axis=2)]
    bands: list[int] = []
    for above, width in zip([0, *spans], spans, strict=False):
        if width and not above:
            bands.append(0)
        if width:
            bands[-1] = max(bands[-1], width)
    return [width for width in bands if width >= min_width]


def _span(row: np.ndarray) -> int:
    painted = np.flatnonzero(row)
    return int(painted[-1] - painted[0] + 1) if len(painted) else 0
