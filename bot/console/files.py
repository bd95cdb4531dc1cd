"""Pictures the app uploads, as the console shows them: written beside the database file (the
current folder for a database elsewhere) and named by their path."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.slack_standin import Recorded

SAVED = (".png",)  # other uploads (CSV exports) are named by their title only


class SharedFiles:
    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        database = url.database if url.get_backend_name() == "sqlite" else None
        self.folder = (Path(database).resolve().parent if database and database != ":memory:"
                       else Path.cwd())
        self._paths: dict[str, Path] = {}

    def keep(self, upload: Recorded) -> None:
        """Writes an uploaded picture's bytes to its file name in the folder."""
        name = Path(str(upload.body.get("filename") or "")).name
        if name.lower().endswith(SAVED):
            path = self.folder / name
            path.write_bytes(upload.body["content"])
            self._paths[upload.name] = path

    def notice(self, completed: dict) -> str:
        """What the console says when an upload is completed: the pictures' paths, else the
        files' titles."""
        files = [f for f in completed.get("files") or [] if isinstance(f, dict)]
        paths = [str(self._paths[f["id"]]) for f in files if f.get("id") in self._paths]
        if paths:
            return f"Dealbot shared a file: {', '.join(paths)}"
        named = ", ".join(filter(None, (f.get("title") for f in files))) or "a file"
        return f"Dealbot shared {named}."
