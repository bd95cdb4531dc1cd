"""Reading an import file's text, or saying in one line why it cannot be read.

A CSV file is read as UTF-8, with or without a byte-order mark. Another encoding is decoded
only when the file says which it is (a UTF-16 or UTF-32 byte-order mark, as Excel's "Unicode
Text" writes); a file in any other encoding (Latin-1, Windows-1252, ...) is refused rather
than guessed at, since a wrong guess would store wrong names without a word.
"""

from __future__ import annotations

import codecs
from pathlib import Path

TRIED = ("utf-8", "utf-8-sig")
# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
          (codecs.BOM_UTF16_BE, "utf-16"))


class UnreadableFile(Exception):
    """The file cannot be read as an import; the message says why and what to do."""


def read_text(path: str | Path) -> str:
    """The file's text; UnreadableFile when it is missing, not a file, unreadable, empty or
    not in an encoding Dealbot can be sure of."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{name} is a folder, not a CSV file.") from None
    except PermissionError:
        raise UnreadableFile(f"{name} cannot be read: permission denied.") from None
    except OSError as error:
        raise UnreadableFile(f"{name} cannot be read: {error.strerror or error}.") from None
    encoding = next((enc for mark, enc in _MARKS if data.startswith(mark)), "utf-8")
    if encoding == "utf-8" and data.count(0) * 4 > len(data):  # a NUL in every other byte
        raise UnreadableFile(f"{name} is not UTF-8 (tried {', '.join(TRIED)}; it looks like "
                             "UTF-16 without a byte-order mark): save it as CSV UTF-8.")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise UnreadableFile(f"{name} starts with a {encoding.upper()} byte-order mark but "
                                 f"is not {encoding.upper()}: save it as CSV UTF-8.") from None
        line = data[:error.start].count(b"\n") + 1
        raise UnreadableFile(f"{name} is not UTF-8 (tried {', '.join(TRIED)}; byte "
                             f"0x{data[error.start]:02X} on line {line} is not): save it as "
                             "CSV UTF-8.") from None
    if not text.lstrip("\ufeff").strip():
        raise UnreadableFile(f"{name} is empty: a CSV file starts with a header line naming "
                             "its columns.")
    return text.lstrip("\ufeff")
