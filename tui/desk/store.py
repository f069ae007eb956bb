"""The reading desk: where a reader was in each story, the sentences they marked, their notes
and the status they gave facts, in a local SQLite store that never loses what was saved.

- One file, `desk.sqlite3`, in the user data folder (or `--data-dir`). WAL journal, every change
  in one transaction, a busy timeout so that two readers share it; the schema version lives in
  `PRAGMA user_version` and older stores are migrated forward, newer ones refused untouched.
- Opening checks the store (PRAGMA quick_check, the expected tables, columns and keys). Only a
  file that is not ours (not SQLite, or another program's tables) is moved aside with a warning
  and a fresh store made. A damaged store of ours is kept untouched: the marks that can still be
  read are shown, nothing is written to it (`Desk.damage` says why). A store that cannot be
  written (a read-only file or folder) is read (`Desk.read_only`). A store another process holds
  locked is waited for briefly, then reported busy (DeskBusy), never taken for a foreign file.
  A folder that cannot be used leaves the desk read-less (`Desk.open` raises DeskUnavailable).
- Everything read back is untrusted: text goes through the gate, odd types (a BLOB, a number)
  become text, unknown statuses and scopes are dropped.
- A story is known by its articles' content, not by paths: the same articles from a folder, a
  JSONL file or URLs are the same story. An article is known by its URL, else its outlet and
  title, else the start of its text; a mark remembers its sentence's text and is re-anchored by
  it (exactly, else by fuzzy match) when the article changed, or listed as orphaned.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import quote

from ..base.gate import clean_inline, strip_control
from ..base.model import Article, Story, counted

SCHEMA_VERSION = 1
STORE_NAME = "desk.sqlite3"
BUSY_TIMEOUT_S = 10.0  # a write (in the background writer) waits this long for another writer
OPEN_WAIT_S = 3.0  # opening waits this long for a store another process holds, then says it is busy
READ_WAIT_S = 2.0  # reads run on the UI thread: a held lock must not freeze the reader for long
REANCHOR_MIN = 85  # rapidfuzz ratio for a changed sentence to keep its mark
STATUSES = ("checked", "disputed", "unverified")
SCOPES = ("sentence", "fact")
STATUS_SIGNS = {"checked": "✓", "disputed": "✗", "unverified": "?"}
KEEP = object()  # update_mark: leave the status as it is

# The current schema, table by table (a missing table is made again from here). Migration 1
# makes them all; a later version's migration changes them and this text with it.
_TABLES = {
    "stories": """CREATE TABLE stories (id TEXT PRIMARY KEY, title TEXT NOT NULL, sources TEXT NOT NULL DEFAULT '[]',
                          updated TEXT NOT NULL)""",
    "positions": """CREATE TABLE positions (story TEXT PRIMARY KEY REFERENCES stories(id), state TEXT NOT NULL,
                            updated TEXT NOT NULL)""",
    "marks": """CREATE TABLE marks (
        id INTEGER PRIMARY KEY,
        story TEXT NOT NULL REFERENCES stories(id),
        article TEXT NOT NULL,          -- the article's content key
        sentence_text TEXT NOT NULL,    -- what the mark is anchored to
        scope TEXT NOT NULL DEFAULT 'sentence' CHECK (scope IN ('sentence', 'fact')),
        bookmark INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        status TEXT CHECK (status IS NULL OR status IN ('checked', 'disputed', 'unverified')),
        outlet TEXT, date TEXT, url TEXT,
        created TEXT NOT NULL, updated TEXT NOT NULL,
        UNIQUE (story, article, sentence_text, scope)
    )""",
}
_INDEXES = "CREATE INDEX IF NOT EXISTS marks_by_story ON marks (story)"
_COLUMNS = {
    "stories": ("id", "title", "sources", "updated"),
    "positions": ("story", "state", "updated"),
    "marks": (
        "id",
        "story",
        "article",
        "sentence_text",
        "scope",
        "bookmark",
        "note",
        "status",
        "outlet",
        "date",
        "url",
        "created",
        "updated",
    ),
}
_UNIQUE = {"stories": ("id",), "positions": ("story",), "marks": ("story", "article", "sentence_text", "scope")}
_MIGRATIONS = {1: [*_TABLES.values(), _INDEXES]}

_LOWEST_ROWID, _HIGHEST_ROWID = -(2**63), 2**63 - 1
_ONE_BY_ONE = 50_000  # rowids a damaged table's gaps are probed for, one lookup each (~10 µs)
_RULE_BROKEN = ("CHECK constraint failed", "NULL value in")  # quick_check's words for a value, not a page
# SQLite's primary result codes (error.sqlite_errorcode & 0xff)
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 11, 13, 26


class DeskError(Exception):
    """A store that must not be used (made by a newer Broadsheet), or a change that could not be
    saved; one line for the user."""


class DeskUnavailable(DeskError):
    """No store can be opened or made here (a read-only or unreadable folder)."""


class DeskBusy(DeskUnavailable):
    """Another process holds the store locked for longer than we wait."""


class DeskReadOnly(DeskError):
    """A change to a store that is read-only or damaged: not saved."""


class _NotOurs(Exception):
    """The file is not a Broadsheet store: it may be moved aside."""


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def default_folder() -> Path:
    from ..base.locations import desk_folder

    return desk_folder()


def _normal(text: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in text).split())


def article_key(article: Article) -> str:
    """The article's identity across files and edits: URL, else outlet and title (as read or
    as derived from the text), else the start of its text."""
    if article.url:
        basis = "url " + article.url.strip().split("#")[0].rstrip("/").lower()
    elif _normal(article.title):
        basis = f"title {_normal(article.outlet or '')} {_normal(article.title)}"
    else:
        basis = "text " + _normal(article.text)[:300]
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def story_key(story: Story) -> str:
    return hashlib.sha1(" ".join(sorted(article_key(a) for a in story.articles)).encode()).hexdigest()[:16]


# ---------------------------------------------------------------- values read back from the store


def _as_text(value: object) -> str:
    """Whatever SQLite holds in a text column (a BLOB, a number, NULL) as text."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def _one_line(value: object) -> str:
    return clean_inline(_as_text(value))


def _lines(value: object) -> str:
    """A note or a sentence: controls out, its lines and exact wording kept (marks are anchored
    by the sentence's exact text)."""
    return strip_control(_as_text(value))


def _said(text: str) -> str:
    return clean_inline(text)


def _code(error: sqlite3.Error) -> int:
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


def _is_busy(error: sqlite3.Error) -> bool:
    return _code(error) in (_BUSY, _LOCKED) or "database is locked" in str(error)


def _busy_message(path: Path) -> str:
    return _said(f"{path}: the desk is busy (another Broadsheet is writing to it); try again in a moment")


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _json_or_none(value: object):
    try:
        return json.loads(_as_text(value))
    except (ValueError, RecursionError):
        return None


@dataclass(slots=True)
class Mark:
    id: int
    story: str
    article: str  # content key
    sentence_text: str
    scope: str  # "sentence" or "fact"
    bookmark: bool
    note: str
    status: str | None
    outlet: str | None
    date: str | None
    url: str | None
    created: str
    updated: str
    sentence: int | None = None  # where it is anchored in the story as loaded; None: orphaned
    article_id: str | None = None  # the loaded article's id

    def to_json(self) -> dict:
        return {
            "article": self.article_id or self.article,
            "sentence": self.sentence,
            "text": self.sentence_text,
            "outlet": self.outlet,
            "date": self.date,
            "url": self.url,
            "note": self.note,
            "status": self.status,
            "bookmark": self.bookmark,
            "scope": self.scope,
            "created": self.created,
            "updated": self.updated,
        }


class Desk:
    """One connection to the store; safe to use from the UI thread and workers (one lock).

    Reads never raise: what cannot be read is left out and said in `warnings` (and to
    `on_warning`, which the reader sets); `incomplete` then says why marks may be missing.
    Writes raise DeskError with one line for the user."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        warnings: list[str],
        *,
        damage: str | None = None,
        read_only: str | None = None,
    ) -> None:
        self._db = connection
        self.path = path
        self.warnings = warnings
        self.damage = damage  # why the store is damaged (it is then only read)
        self.read_only = read_only  # why changes cannot be saved (a read-only file or folder)
        self.incomplete: str | None = None  # why some marks may not have been read
        self.on_warning: Callable[[str], None] | None = None
        self._lock = threading.Lock()
        self._wait_s: float | None = None
        self._columns = self._present_columns(connection)
        self._stories_written: set[tuple[str, str, str]] = set()  # (id, title, sources) already in the store
        self._keys: dict[int, tuple[object, str]] = {}  # id(story or article) -> (it, its key)
        if not self.writable:  # whatever goes wrong below, this connection changes nothing
            connection.execute("PRAGMA query_only = ON")
        if damage is not None:
            self.incomplete = damage
            self._warn(self._damage_message(damage))
        elif read_only is not None:
            self._warn(_said(f"{path}: read-only ({read_only}); its marks are shown, changes are not saved"))

    @property
    def writable(self) -> bool:
        return self.damage is None and self.read_only is None

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, folder: Path | None = None, *, wait: float | None = None) -> Desk:
        folder = Path(folder) if folder is not None else default_folder()
        path = folder / STORE_NAME
        wait = OPEN_WAIT_S if wait is None else wait
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DeskUnavailable(_said(f"{folder}: cannot make the data folder: {error.strerror or error}")) from None
        try:
            return cls._open_store(path, wait)
        except _NotOurs as not_ours:
            warning = cls._move_aside(path, str(not_ours))
        try:
            desk = cls._open_store(path, wait)
        except _NotOurs as again:  # pragma: no cover - the file was just moved away
            raise DeskUnavailable(_said(f"{path}: {again}")) from None
        desk.warnings.insert(0, warning)
        return desk

    @classmethod
    def _open_store(cls, path: Path, wait: float) -> Desk:
        cls._check_access(path)
        folder_writable, exists = os.access(path.parent, os.W_OK), path.exists()
        if not exists and not folder_writable:
            raise DeskUnavailable(_said(f"{path.parent}: the data folder is read-only; no store can be made there"))
        read_only = (
            "the folder cannot be written"
            if not folder_writable
            else "the file cannot be written"
            if exists and not os.access(path, os.W_OK)
            else None
        )
        try:
            return cls._open_connection(path, wait, read_only)
        except sqlite3.Error as error:
            if _code(error) != _READONLY or read_only is not None:
                raise cls._open_failed(path, error) from None
        try:  # writable by its permissions, yet not (a read-only mount): read it
            return cls._open_connection(path, wait, "it cannot be written")
        except sqlite3.Error as error:
            raise cls._open_failed(path, error) from None

    @classmethod
    def _open_connection(cls, path: Path, wait: float, read_only: str | None) -> Desk:
        connection, warnings = cls._connect(path, wait, read_only is None)
        try:
            return cls._examine(connection, path, warnings, read_only)
        except BaseException:
            connection.close()
            raise

    @staticmethod
    def _open_failed(path: Path, error: sqlite3.Error) -> Exception:
        if _is_busy(error):  # held by another process: never taken for a foreign file
            return DeskBusy(_busy_message(path))
        if _code(error) == _NOTADB and not _looks_like_sqlite(path):
            return _NotOurs(f"not a database: {error}")
        if _code(error) in (_NOTADB, _CORRUPT):  # a store whose header or first pages are damaged
            return DeskUnavailable(
                _said(
                    f"{path}: damaged ({error}); kept untouched, nothing in it can be read "
                    "(move it aside to start a fresh desk)"
                )
            )
        return DeskUnavailable(_said(f"{path}: cannot be opened: {error}"))

    @staticmethod
    def _check_access(path: Path) -> None:
        """A folder or file we may not read, or something that is not a file: say so (and never
        move it aside: it may be a good store)."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return
        except PermissionError:
            raise DeskUnavailable(_said(f"{path.parent}: permission denied: the data folder cannot be read")) from None
        except OSError as error:
            raise DeskUnavailable(_said(f"{path}: cannot be opened: {error.strerror or error}")) from None
        if not stat.S_ISREG(info.st_mode):
            raise DeskUnavailable(_said(f"{path}: not a regular file; move it away to have a reading desk"))
        if not os.access(path, os.R_OK):
            raise DeskUnavailable(_said(f"{path}: permission denied: the store cannot be read"))

    @staticmethod
    def _connect(path: Path, wait: float, writable: bool) -> tuple[sqlite3.Connection, list[str]]:
        """A connection that can read the store: read-write, else read-only, else (a WAL store
        in a read-only folder, whose -shm cannot be made) immutable."""
        warnings: list[str] = []
        attempts = [(str(path), False)] if writable else []
        address = "file:" + quote(str(path.resolve()))
        attempts += [(address + "?mode=ro", True), (address + "?immutable=1", True)]
        for number, (target, uri) in enumerate(attempts):
            connection = sqlite3.connect(target, uri=uri, timeout=wait, isolation_level=None, check_same_thread=False)
            connection.text_factory = lambda data: data.decode("utf-8", "replace")  # odd bytes are not fatal
            try:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error as error:
                connection.close()
                if number + 1 == len(attempts) or _code(error) not in (_READONLY, 14):  # 14: cannot open
                    raise
                continue
            if target.endswith("immutable=1") and Path(str(path) + "-wal").exists():
                warnings.append(
                    _said(f"{path}: its newest changes (in {path.name}-wal) cannot be read in a read-only folder")
                )
            return connection, warnings
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _examine(cls, connection: sqlite3.Connection, path: Path, warnings: list[str], read_only: str | None) -> Desk:
        """Check what the file holds before anything writes to it; make, migrate or mend it when
        that loses nothing; else open it only to read."""
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DeskError(
                _said(
                    f"{path}: made by a newer Broadsheet (store version {version}, this one "
                    f"reads {SCHEMA_VERSION}); left untouched, marks are not available"
                )
            )
        damage = None
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            damage = cls._integrity_problem(connection, path, warnings)
        except sqlite3.Error as error:
            if _is_busy(error) or _code(error) == _NOTADB:
                raise
            tables, damage = set(), _said(str(error))
        ours = tables & set(_TABLES)
        if damage is None and tables and not ours:
            raise _NotOurs("it holds another program's tables")
        if damage is None and not ours:  # empty: a new store
            if read_only is not None:
                raise DeskUnavailable(_said(f"{path}: not a store yet and cannot be written ({read_only})"))
            if version != 0:
                warnings.append(_said(f"{path}: store version {version} without any tables; made afresh"))
            version = 0
        elif damage is None and version < 1:
            damage = f"unknown store version {version}"
        if damage is None:
            damage = cls._schema_problem(connection, ours)
        if damage is None and read_only is None:
            missing = sorted(set(_TABLES) - ours) if version else []
            cls._migrate(connection, version)
            if missing:
                cls._make_tables(connection, missing)
                warnings.append(
                    _said(
                        f"{path}: its {', '.join(missing)} table{'s' if len(missing) > 1 else ''} "
                        f"{'were' if len(missing) > 1 else 'was'} missing; made again empty"
                    )
                )
        elif damage is None and version < SCHEMA_VERSION:
            damage = f"store version {version} needs migrating and cannot be written ({read_only})"
        return cls(connection, path, warnings, damage=damage, read_only=read_only)

    @staticmethod
    def _integrity_problem(connection: sqlite3.Connection, path: Path, warnings: list[str]) -> str | None:
        """What PRAGMA quick_check finds wrong with the file's pages. A value that breaks a
        column's rule (CHECK, NOT NULL) is no damage: it is read as a blank, and said."""
        rows = connection.execute("PRAGMA quick_check").fetchall()
        if [tuple(row) for row in rows] == [("ok",)]:
            return None
        lines = [line for row in rows for line in str(row[0]).splitlines() if line and not line.startswith("***")]
        broken = [line for line in lines if not line.startswith(_RULE_BROKEN)]
        if lines and not broken:
            warnings.append(
                _said(f"{path}: {counted(len(lines), 'row')} against its rules ({lines[0][:80]}); read as blanks")
            )
            return None
        first = broken[0] if broken else "unknown"
        more = f" and {len(broken) - 1} more problems" if len(broken) > 1 else ""
        return _said(f"failed its integrity check: {first[:120]}{more}")

    @staticmethod
    def _schema_problem(connection: sqlite3.Connection, tables: set[str]) -> str | None:
        """What is wrong with our tables that are there: missing columns or unique keys (which
        the writes rely on)."""
        problems = []
        for table in sorted(tables):
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            missing = [c for c in _COLUMNS[table] if c not in columns]
            if missing:
                noun = "column" if len(missing) == 1 else "columns"
                problems.append(f"its {table} table has no {', '.join(missing)} {noun}")
                continue
            keys = []
            for index in connection.execute(f"PRAGMA index_list({table})"):
                if index[2]:  # unique
                    keys.append(tuple(row[2] for row in connection.execute(f"PRAGMA index_info('{index[1]}')")))
            if _UNIQUE[table] not in keys:
                problems.append(f"its {table} table has no unique key on ({', '.join(_UNIQUE[table])})")
        return _said("; ".join(problems)) if problems else None

    @staticmethod
    def _migrate(connection: sqlite3.Connection, version: int) -> None:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() == "wal":  # else (a file system without shared memory) the rollback journal serves
            connection.execute("PRAGMA synchronous = NORMAL")  # with WAL: a crash loses nothing committed
        connection.execute("PRAGMA foreign_keys = ON")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            Desk._in_transaction(connection, [*_MIGRATIONS[target], f"PRAGMA user_version = {target}"])

    @staticmethod
    def _make_tables(connection: sqlite3.Connection, tables: list[str]) -> None:
        Desk._in_transaction(connection, [*(_TABLES[t] for t in tables), _INDEXES])

    @staticmethod
    def _in_transaction(connection: sqlite3.Connection, statements: list[str]) -> None:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                connection.execute(statement)
            connection.execute("COMMIT")
        except BaseException:
            Desk._roll_back(connection)
            raise

    @staticmethod
    def _roll_back(connection: sqlite3.Connection) -> None:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:  # the failed statement may have ended the transaction already
            pass

    @staticmethod
    def _move_aside(path: Path, why: str) -> str:
        aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                if Path(str(path) + suffix).exists():
                    os.replace(str(path) + suffix, str(aside) + suffix)
        except OSError as move_error:
            raise DeskUnavailable(
                _said(
                    f"{path}: not a Broadsheet store ({why}) and cannot be moved aside: "
                    f"{move_error.strerror or move_error}"
                )
            ) from None
        return _said(f"{path}: not a Broadsheet store ({why}); moved aside to {aside.name}, a fresh one was made")

    @staticmethod
    def _present_columns(connection: sqlite3.Connection) -> dict[str, set[str]]:
        """Our tables that can be read, and their columns (a damaged store may lack some)."""
        present = {}
        for table in _TABLES:
            try:
                columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            except sqlite3.Error:
                continue
            if columns:
                present[table] = columns
        return present

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------ reading and writing

    def _damage_message(self, damage: str) -> str:
        return _said(
            f"{self.path}: damaged ({damage}); kept untouched: the marks that can be read are shown, "
            "changes are not saved (move it aside to start a fresh desk)"
        )

    def _warn(self, message: str) -> None:
        """Said once, to the reader if it listens."""
        if message in self.warnings:
            return
        self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)

    def _wait(self, seconds: float) -> None:
        if self._wait_s != seconds:
            self._db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            self._wait_s = seconds

    def _read_failed(self, error: sqlite3.Error) -> bool:
        """Say why a read failed; True when the store is damaged (read on, row by row)."""
        if _is_busy(error):
            self.incomplete = _busy_message(self.path)
            self._warn(_said(f"{self.incomplete}; some marks could not be read"))
            return False
        if self.damage is None:
            self.damage = self.incomplete = _said(str(error))
            self._warn(self._damage_message(self.damage))
        return True

    def _select(self, table: str, **match) -> list[tuple]:
        """The rows (rowid first, then the table's columns; a missing column reads as NULL) whose
        columns hold `match`'s values. On a damaged store: every row that can still be read,
        scanning the table itself (its indexes may be what is damaged) from both ends."""
        present = self._columns.get(table)
        if present is None:
            return []
        names = ", ".join(c if c in present else f"NULL AS {c}" for c in _COLUMNS[table])
        with self._lock:
            try:
                self._wait(READ_WAIT_S)
                if self.damage is None:
                    where = " AND ".join(f"{column} = ?" for column in match)
                    return self._db.execute(
                        f"SELECT rowid, {names} FROM {table}"
                        + (f" WHERE {where}" if where else "")
                        + " ORDER BY rowid",
                        tuple(match.values()),
                    ).fetchall()
            except sqlite3.Error as error:
                if not self._read_failed(error):
                    return []
            rows = self._salvage(table, names)
        places = {column: n + 1 for n, column in enumerate(_COLUMNS[table])}
        return [row for row in rows if all(row[places[c]] == value for c, value in match.items())]

    def _salvage(self, table: str, names: str) -> list[tuple]:
        """Every row that can still be read, by rowid through the table's own pages: past a bad
        page, probe ahead (1, 2, 4 ... rowids) until reading works again, then read back down
        towards the gap. Stops early only when the store is busy."""
        found: dict[int, tuple] = {}
        select = f"SELECT rowid, {names} FROM {table} NOT INDEXED WHERE rowid {{}} ? ORDER BY rowid{{}}"

        def read(sql: str, bound: int) -> bool | None:
            """Rows until the end or a row already read (True), a bad page (False), busy (None)."""
            try:
                for row in self._db.execute(sql, (bound,)):
                    if row[0] in found:
                        return True
                    found[row[0]] = row
                return True
            except sqlite3.Error as error:
                return False if self._read_failed(error) else None

        start = _LOWEST_ROWID
        while (outcome := read(select.format(">=", ""), start)) is False:
            gap = max((k for k in found if k >= start), default=start - 1) + 1  # the first rowid not read
            resume = self._next_readable(table, gap)
            if resume is None or (outcome := read(select.format("<", " DESC"), resume)) is None:
                break
            start = resume
        if outcome is not None:  # not busy: what the jumps passed over
            self._one_by_one(table, names, found)
        return [found[k] for k in sorted(found)]

    def _one_by_one(self, table: str, names: str, found: dict[int, tuple]) -> None:
        """The rowids a scan could not reach (up to the highest read), each read on its own: a bad
        page may still hold rows a lookup reaches. Ours are dense from 1; a budget bounds it."""
        top = max(found, default=0)  # a damaged page may give a huge rowid: the budget holds
        for rowid in islice((r for r in range(1, top) if r not in found), _ONE_BY_ONE):
            try:
                row = self._db.execute(
                    f"SELECT rowid, {names} FROM {table} NOT INDEXED WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.Error as error:
                if not self._read_failed(error):
                    return
                continue
            if row is not None:
                found[rowid] = row

    def _next_readable(self, table: str, gap: int) -> int | None:
        """The first rowid past a bad page from which the table can be read again, if any."""
        jump = 1
        while gap + jump <= _HIGHEST_ROWID:
            try:
                row = self._db.execute(
                    f"SELECT rowid FROM {table} NOT INDEXED WHERE rowid >= ? ORDER BY rowid LIMIT 1", (gap + jump,)
                ).fetchone()
                return None if row is None else row[0]
            except sqlite3.Error as error:
                if not self._read_failed(error):
                    return None
                jump *= 2
        return None

    def _write(self, sql_steps) -> None:
        """Run (sql, parameters) steps in one transaction."""
        if not self.writable:
            raise DeskReadOnly(self._unwritable())
        with self._lock:
            try:
                self._wait(BUSY_TIMEOUT_S)
                self._in_transaction_with(sql_steps)
            except sqlite3.Error as error:
                raise self._write_failed(error) from None

    def _in_transaction_with(self, sql_steps) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for sql, parameters in sql_steps:
                self._db.execute(sql, parameters)
            self._db.execute("COMMIT")
        except BaseException:
            self._roll_back(self._db)
            raise

    def _unwritable(self) -> str:
        if self.damage is not None:
            return _said(f"{self.path}: damaged ({self.damage}); changes are not saved")
        return _said(f"{self.path}: read-only ({self.read_only}); changes are not saved")

    def _write_failed(self, error: sqlite3.Error) -> DeskError:
        code = _code(error)
        if _is_busy(error):
            return DeskBusy(_busy_message(self.path))
        if code == _READONLY:
            self.read_only = "it cannot be written"
            return DeskReadOnly(self._unwritable())
        if code in (_CORRUPT, _NOTADB):
            self._read_failed(error)
            return DeskReadOnly(self._unwritable())
        if code == _FULL:
            return DeskError(_said(f"{self.path}: the disk is full"))
        return DeskError(_said(f"{self.path}: {error}"))

    def integrity(self) -> str:
        with self._lock:
            return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    def _key(self, thing: Story | Article) -> str:
        """story_key / article_key, remembered for the objects of this session (hashing every
        article's title on each write made a write cost milliseconds per article)."""
        known = self._keys.get(id(thing))
        if known is not None and known[0] is thing:
            return known[1]
        key = story_key(thing) if isinstance(thing, Story) else article_key(thing)
        self._keys[id(thing)] = (thing, key)
        return key

    # ------------------------------------------------------------ stories and positions

    def _story_step(self, story: Story) -> tuple[str, tuple]:
        sources = sorted({a.source for a in story.articles if a.source and a.source != "-"})
        return (
            "INSERT INTO stories (id, title, sources, updated) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
            "SET title = excluded.title, sources = excluded.sources, updated = excluded.updated",
            (self._key(story), story.display_title, json.dumps(sources), now()),
        )

    def sources(self, story: str) -> list[str]:
        """Where a story's articles were read from last time (to open it again); paths, kept as
        they are (a path is opened, never shown from here)."""
        rows = self._select("stories", id=story)
        sources = _json_or_none(rows[0][3]) if rows else None
        return [s for s in sources if isinstance(s, str)] if isinstance(sources, list) else []

    def _story_steps(self, story: Story) -> tuple[list[tuple[str, tuple]], tuple[str, str, str] | None]:
        """The story's row, once per session unless its title or sources change; and what to
        remember once it is written."""
        step = self._story_step(story)
        key = (step[1][0], step[1][1], step[1][2])
        return ([], None) if key in self._stories_written else ([step], key)

    def save_position(self, story: Story, state: dict) -> None:
        self._write(
            [
                self._story_step(story),
                (
                    "INSERT INTO positions (story, state, updated) VALUES (?, ?, ?) ON CONFLICT (story) "
                    "DO UPDATE SET state = excluded.state, updated = excluded.updated",
                    (self._key(story), json.dumps(state), now()),
                ),
            ]
        )

    def position(self, story: Story) -> dict | None:
        rows = self._select("positions", story=story_key(story))
        state = _json_or_none(rows[0][2]) if rows else None
        return state if isinstance(state, dict) else None

    # ------------------------------------------------------------ marks

    @staticmethod
    def _mark_of(row: tuple) -> Mark:
        """A row of marks (after its rowid) as a Mark, every value checked: text through the gate."""
        (mark_id, story, article, text, scope, bookmark, note, status, outlet, date, url, created, updated) = row[1:]
        return Mark(
            mark_id if isinstance(mark_id, int) else row[0],
            _one_line(story),
            _one_line(article),
            _lines(text),
            scope if scope in SCOPES else "sentence",
            bool(bookmark) if isinstance(bookmark, (int, float)) else False,
            _lines(note),
            status if status in STATUSES else None,
            _one_line(outlet) or None,
            _one_line(date) or None,
            _one_line(url) or None,
            _one_line(created),
            _one_line(updated),
        )

    def marks(self, story: Story) -> list[Mark]:
        """The story's marks, each anchored to a sentence of the articles as loaded (or orphaned)."""
        marks = [self._mark_of(row) for row in self._select("marks", story=story_key(story))]
        articles = {article_key(a): a for a in story.articles}
        by_text: dict[str, dict[str, int]] = {}  # per article: sentence text -> first id
        for mark in marks:
            article = articles.get(mark.article)
            if article is None:
                continue
            texts = by_text.get(article.id)
            if texts is None:
                texts = by_text[article.id] = {}
                for sentence in article.sentences:
                    texts.setdefault(sentence.text, sentence.id)
            mark.article_id = article.id
            found = texts.get(mark.sentence_text)
            mark.sentence = found if found is not None else anchor(article, mark.sentence_text)
        return marks

    def all_marks(self) -> list[tuple[str, str, list[Mark]]]:
        """(story id, title, marks) for every story with marks, newest first; not anchored. A mark
        whose story row is missing is listed too, under its story's key."""
        titles = {_one_line(row[1]): _one_line(row[2]) for row in self._select("stories")}
        by_story: dict[str, list[Mark]] = {}
        for row in self._select("marks"):
            mark = self._mark_of(row)
            by_story.setdefault(mark.story, []).append(mark)
        newest_first = sorted(by_story.items(), key=lambda item: max(m.updated for m in item[1]), reverse=True)
        return [(story, titles.get(story) or f"story {story or '?'}", marks) for story, marks in newest_first]

    def update_mark(
        self,
        story: Story,
        article: Article,
        sentence_text: str,
        *,
        scope: str = "sentence",
        bookmark: bool | None = None,
        note: str | None = None,
        status: object = KEEP,
    ) -> None:
        """Create or change the mark on a sentence (or on its fact); a mark left with nothing is
        removed. One transaction; last write wins per mark."""
        if status is not KEEP and status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        key, story_id = self._key(article), self._key(story)
        stamp = now()
        sets: list[str] = []
        values: list[object] = []
        for column, value in (("bookmark", None if bookmark is None else int(bookmark)), ("note", note)):
            if value is not None:
                sets.append(f"{column} = ?")
                values.append(value)
        if status is not KEEP:
            sets.append("status = ?")
            values.append(status)
        insert = (
            "INSERT INTO marks (story, article, sentence_text, scope, bookmark, note, status, outlet, date, url, "
            "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (story, article, sentence_text, scope) DO UPDATE SET " + ", ".join(sets + ["updated = ?"])
        )
        parameters = (
            story_id,
            key,
            sentence_text,
            scope,
            int(bool(bookmark)),
            note or "",
            None if status is KEEP else status,
            article.outlet or article.label,
            article.date,
            article.url,
            stamp,
            stamp,
            *values,
            stamp,
        )
        cleanup = (
            "DELETE FROM marks WHERE story = ? AND article = ? AND sentence_text = ? AND scope = ? "
            "AND bookmark = 0 AND note = '' AND status IS NULL",
            (story_id, key, sentence_text, scope),
        )
        story_steps, written = self._story_steps(story)
        self._write([*story_steps, (insert, parameters), cleanup])
        if written is not None:  # only once it is in the store (a failed write tries it again)
            self._stories_written.add(written)


def anchor(article: Article, text: str) -> int | None:
    """The sentence a mark's text belongs to now: the same text, else the closest (≥ REANCHOR_MIN)."""
    for sentence in article.sentences:
        if sentence.text == text:
            return sentence.id
    from rapidfuzz import fuzz, process

    best = process.extractOne(text, [s.text for s in article.sentences], scorer=fuzz.ratio, score_cutoff=REANCHOR_MIN)
    return best[2] if best else None
