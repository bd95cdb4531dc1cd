"""Bad arguments and bad files get one line that names the problem and exit status 2; never a
traceback. UTF-16 files that say so with a byte-order mark are read."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys

import pytest

from bot.cli.main import main

CSV = "id,name,value\nD1,Blåbær AS,5k\n"
NOT_USER = ("'Bad Name' is not a user name: a user name is letters and digits, starting with "
            "a letter, like `ann`.")


@pytest.fixture
def database(tmp_path, monkeypatch):
    """A migrated SQLite database with one workspace, T1, as the CLI's DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    (tmp_path / "first.csv").write_text("id,name\nD0,First\n", encoding="utf-8")
    assert main(["import", "deals", "first.csv", "--team", "T1"]) == 0
    return tmp_path


def one_line(capsys, argv: list[str]) -> str:
    """Runs `dealbot argv`, which must fail with status 2 and one line on stderr."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dealbot: "), err
    return err.removeprefix("dealbot: ").rstrip("\n")


def test_a_console_user_name_that_cannot_be_one_is_one_line(database, capsys):
    capsys.readouterr()
    assert one_line(capsys, ["console", "--user", "Bad Name"]) == f"--user {NOT_USER}"


def test_the_console_process_shows_no_traceback_for_a_bad_user(database):
    done = subprocess.run([sys.executable, "-m", "bot.cli", "console", "--user", "Bad Name"],
                          capture_output=True, text=True, input="/deal list\n", timeout=60,
                          env={**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]})
    assert done.returncode == 2
    assert done.stderr == f"dealbot: --user {NOT_USER}\n" and done.stdout == ""


@pytest.mark.parametrize("argv", [
    ["import", "deals", "first.csv", "--team", "T9"],
    ["export", "deals", "--team", "T9"],
    ["report", "pipeline", "--team", "T9"],
    ["digest", "send", "funnel", "--channel", "C1", "--dry-run", "--team", "T9"],
])
def test_an_unknown_team_is_one_line_naming_the_known_ones(database, capsys, argv):
    capsys.readouterr()
    assert one_line(capsys, argv) == ("There is no workspace T9 in this database (there are: "
                                      "T1).")


def test_a_team_that_is_no_slack_team_id_is_refused_before_anything_is_written(database, capsys):
    capsys.readouterr()
    assert one_line(capsys, ["import", "deals", "first.csv", "--team", "x" * 100]).startswith(
        f"--team '{'x' * 100}' is not a Slack team id")


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("latin1.csv", CSV.encode("latin-1"), "latin1.csv is not UTF-8 (tried utf-8, utf-8-sig; "
     "byte 0xE5 on line 2 is not): save it as CSV UTF-8."),
    ("utf16-no-mark.csv", "id,name\nD1,Acme\n".encode("utf-16-le"), "utf16-no-mark.csv is not "
     "UTF-8 (tried utf-8, utf-8-sig; it looks like UTF-16 without a byte-order mark): save it "
     "as CSV UTF-8."),
    ("broken16.csv", codecs.BOM_UTF16_LE + b"i\x00d\x00\x00\xd8", "broken16.csv starts with a "
     "UTF-16 byte-order mark but is not UTF-16: save it as CSV UTF-8."),
    ("missing.csv", None, "missing.csv does not exist."),
    ("folder.csv", "folder", "folder.csv is a folder, not a CSV file."),
    ("empty.csv", b"", "empty.csv is empty: a CSV file starts with a header line naming its "
     "columns."),
    ("blank.csv", codecs.BOM_UTF8 + b"\r\n  \n", "blank.csv is empty: a CSV file starts with a "
     "header line naming its columns."),
])
def test_a_file_that_cannot_be_read_is_one_line_and_imports_nothing(database, capsys, name,
                                                                    data, problem):
    if data == "folder":
        (database / name).mkdir()
    elif data is not None:
        (database / name).write_bytes(data)
    capsys.readouterr()
    assert one_line(capsys, ["import", "deals", name]) == problem
    assert main(["export", "deals"]) == 0
    assert "Blåbær" not in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_file_whose_byte_order_mark_names_its_encoding_is_read(database, capsys, encoding):
    mark = {"utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    (database / "marked.csv").write_bytes(mark + CSV.encode(encoding))
    assert main(["import", "deals", "marked.csv"]) == 0
    assert main(["export", "deals"]) == 0
    assert "D1,Blåbær AS" in capsys.readouterr().out


def test_an_export_to_a_folder_is_one_line(database, capsys):
    (database / "out").mkdir()
    capsys.readouterr()
    assert one_line(capsys, ["export", "deals", "-o", "out"]) == (
        "out cannot be written: Is a directory.")


def test_an_import_counts_one_row_and_one_bad_row_in_the_singular(database, capsys):
    (database / "one.csv").write_text("id,name\nD1,Acme\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "deals", "one.csv", "--team", "T1"]) == 0
    assert capsys.readouterr().out.startswith("Imported 1 deal row into T1: 1 created, ")
    (database / "bad.csv").write_text("id,name\nD2,\nD3,Globex\n", encoding="utf-8")
    assert main(["import", "deals", "bad.csv", "--team", "T1"]) == 2
    assert capsys.readouterr().err.startswith(
        "dealbot: bad.csv was not imported: 1 bad row, and nothing was changed.\n  line 2: ")
    (database / "two.csv").write_text("id,name\nD2,\nD3,\n", encoding="utf-8")
    assert main(["import", "deals", "two.csv", "--team", "T1"]) == 2
    assert "was not imported: 2 bad rows, and" in capsys.readouterr().err
