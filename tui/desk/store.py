"""The reading desk: where a reader was in each story, the sentences they marked, their notes
and the status they gave facts, in a local SQLite store that never loses what was saved.

- One file, `desk.sqlite3`, in the user data folder (or `--data-dir`). WAL journal, every change
  in one transaction, a busy timeout so that two readers share it; the schema version lives in
  `PRAGMA user_version` and older stores are migrated forward, newer ones refused untouched.
- A file that is not a Broadsheet store (damaged, or another program's) is moved aside with a
  warning and a fresh store made; a folder that cannot be written leaves the desk read-less
  (`Desk.open` raises DeskUnavailable, the reader says marks will not be saved).
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
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..base.gate import clean_inline
from ..base.model import Article, Cluster

SCHEMA_VERSION = 1
STORE_NAME = "desk.sqlite3"
BUSY_TIMEOUT_S = 10.0
REANCHOR_MIN = 85  # rapidfuzz ratio for a changed sentence to keep its mark
STATUSES = ("checked", "disputed", "unverified")
STATUS_SIGNS = {"checked": "✓", "disputed": "✗", "unverified": "?"}
KEEP = object()  # update_mark: leave the status as it is

_MIGRATIONS = {
    1: """
    CREATE TABLE stories (id TEXT PRIMARY KEY, title TEXT NOT NULL, sources TEXT NOT NULL DEFAULT '[]',
                          updated TEXT NOT NULL);
    CREATE TABLE positions (story TEXT PRIMARY KEY REFERENCES stories(id), state TEXT NOT NULL,
                            updated TEXT NOT NULL);
    CREATE TABLE marks (
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
    );
    CREATE INDEX marks_by_story ON marks (story);
    """,
}


class DeskError(Exception):
    """A store that must not be used (made by a newer Broadsheet); one line for the user."""


class DeskUnavailable(DeskError):
    """No store can be opened or made here (a read-only folder)."""


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def default_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path("broadsheet")


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


def story_key(cluster: Cluster) -> str:
    return hashlib.sha1(" ".join(sorted(article_key(a) for a in cluster.articles)).encode()).hexdigest()[:16]


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
        return {"article": self.article_id or self.article, "sentence": self.sentence, "text": self.sentence_text,
                "outlet": self.outlet, "date": self.date, "url": self.url, "note": self.note,
                "status": self.status, "bookmark": self.bookmark, "scope": self.scope,
                "created": self.created, "updated": self.updated}


class Desk:
    """One connection to the store; safe to use from the UI thread and workers (one lock)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, warnings: list[str]) -> None:
        self._db = connection
        self.path = path
        self.warnings = warnings
        self._lock = threading.Lock()
        self._stories_written: set[tuple[str, str, str]] = set()  # (id, title, sources) already in the store
        self._keys: dict[int, tuple[object, str]] = {}  # id(cluster or article) -> (it, its key)

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, folder: Path | None = None) -> "Desk":
        folder = Path(folder) if folder is not None else default_folder()
        path = folder / STORE_NAME
        warnings: list[str] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DeskUnavailable(clean_inline(f"{folder}: cannot make the data folder: {error.strerror or error}")) from None
        for attempt in range(2):
            try:
                connection = cls._connect(path)
                cls._migrate(connection, path)
                return cls(connection, path, warnings)
            except sqlite3.DatabaseError as error:
                if attempt or not path.exists():
                    raise DeskUnavailable(clean_inline(f"{path}: {error}")) from None
                aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
                try:
                    os.replace(path, aside)
                    for suffix in ("-wal", "-shm"):
                        if Path(str(path) + suffix).exists():
                            os.replace(str(path) + suffix, str(aside) + suffix)
                except OSError as move_error:
                    raise DeskUnavailable(clean_inline(f"{path}: not a Broadsheet store and cannot be moved aside: "
                                                       f"{move_error.strerror or move_error}")) from None
                warnings.append(clean_inline(f"{path}: not a Broadsheet store ({error}); moved aside to {aside.name}, "
                                             "a fresh one was made"))
            except OSError as error:
                raise DeskUnavailable(clean_inline(f"{path}: {error.strerror or error}")) from None
        raise DeskUnavailable(clean_inline(f"{path}: cannot be opened"))  # pragma: no cover - loop returns or raises

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # before anything writes to it
            connection.close()
            raise DeskError(clean_inline(f"{path}: made by a newer Broadsheet (store version {version}, this one "
                                         f"reads {SCHEMA_VERSION}); left untouched, marks are not available"))
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.DatabaseError(f"cannot use a write-ahead log (journal mode {mode})")
        connection.execute("PRAGMA synchronous = NORMAL")  # with WAL: a crash loses nothing committed
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    @staticmethod
    def _migrate(connection: sqlite3.Connection, path: Path) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables:
            connection.close()
            raise sqlite3.DatabaseError("it holds another program's tables")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _MIGRATIONS[target].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {target}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql_steps) -> None:
        """Run (sql, parameters) steps in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, parameters in sql_steps:
                    self._db.execute(sql, parameters)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, parameters=()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    def integrity(self) -> str:
        return self._read("PRAGMA integrity_check")[0][0]

    def _key(self, thing: Cluster | Article) -> str:
        """story_key / article_key, remembered for the objects of this session (hashing every
        article's title on each write made a write cost milliseconds per article)."""
        known = self._keys.get(id(thing))
        if known is not None and known[0] is thing:
            return known[1]
        key = story_key(thing) if isinstance(thing, Cluster) else article_key(thing)
        self._keys[id(thing)] = (thing, key)
        return key

    # ------------------------------------------------------------ stories and positions

    def _story_step(self, cluster: Cluster) -> tuple[str, tuple]:
        sources = sorted({a.source for a in cluster.articles if a.source and a.source != "-"})
        return ("INSERT INTO stories (id, title, sources, updated) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                "SET title = excluded.title, sources = excluded.sources, updated = excluded.updated",
                (self._key(cluster), cluster.display_title, json.dumps(sources), now()))

    def sources(self, story: str) -> list[str]:
        """Where a story's articles were read from last time (to open it again)."""
        rows = self._read("SELECT sources FROM stories WHERE id = ?", (story,))
        try:
            sources = json.loads(rows[0][0]) if rows else []
        except ValueError:
            return []
        return [s for s in sources if isinstance(s, str)] if isinstance(sources, list) else []

    def _story_steps(self, cluster: Cluster) -> list[tuple[str, tuple]]:
        """The story's row, once per session unless its title or sources change."""
        step = self._story_step(cluster)
        key = (step[1][0], step[1][1], step[1][2])
        if key in self._stories_written:
            return []
        self._stories_written.add(key)
        return [step]

    def save_position(self, cluster: Cluster, state: dict) -> None:
        self._write([self._story_step(cluster),
                     ("INSERT INTO positions (story, state, updated) VALUES (?, ?, ?) ON CONFLICT (story) "
                      "DO UPDATE SET state = excluded.state, updated = excluded.updated",
                      (self._key(cluster), json.dumps(state), now()))])

    def position(self, cluster: Cluster) -> dict | None:
        rows = self._read("SELECT state FROM positions WHERE story = ?", (story_key(cluster),))
        if not rows:
            return None
        try:
            state = json.loads(rows[0][0])
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    # ------------------------------------------------------------ marks

    _COLUMNS = "id, story, article, sentence_text, scope, bookmark, note, status, outlet, date, url, created, updated"

    def _mark_of(self, row: tuple) -> Mark:
        (mark_id, story, article, text, scope, bookmark, note, status, outlet, date, url, created, updated) = row
        return Mark(mark_id, story, article, text, scope, bool(bookmark), note or "", status, outlet, date, url,
                    created, updated)

    def marks(self, cluster: Cluster) -> list[Mark]:
        """The story's marks, each anchored to a sentence of the articles as loaded (or orphaned)."""
        rows = self._read(f"SELECT {self._COLUMNS} FROM marks WHERE story = ? ORDER BY id", (story_key(cluster),))
        articles = {article_key(a): a for a in cluster.articles}
        by_text: dict[str, dict[str, int]] = {}  # per article: sentence text -> first id
        marks = [self._mark_of(row) for row in rows]
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
        """(story id, title, marks) for every story with marks, newest first; not anchored."""
        stories = self._read("SELECT s.id, s.title, MAX(m.updated) AS latest FROM stories s JOIN marks m "
                             "ON m.story = s.id GROUP BY s.id ORDER BY latest DESC")
        out = []
        for story, title, _ in stories:
            rows = self._read(f"SELECT {self._COLUMNS} FROM marks WHERE story = ? ORDER BY id", (story,))
            out.append((story, title, [self._mark_of(r) for r in rows]))
        return out

    def update_mark(self, cluster: Cluster, article: Article, sentence_text: str, *, scope: str = "sentence",
                    bookmark: bool | None = None, note: str | None = None, status: object = KEEP) -> None:
        """Create or change the mark on a sentence (or on its fact); a mark left with nothing is
        removed. One transaction; last write wins per mark."""
        if status is not KEEP and status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        key, story = self._key(article), self._key(cluster)
        stamp = now()
        sets, values = [], []
        for column, value in (("bookmark", None if bookmark is None else int(bookmark)), ("note", note)):
            if value is not None:
                sets.append(f"{column} = ?")
                values.append(value)
        if status is not KEEP:
            sets.append("status = ?")
            values.append(status)
        insert = ("INSERT INTO marks (story, article, sentence_text, scope, bookmark, note, status, outlet, date, url, "
                  "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (story, article, sentence_text, scope) DO UPDATE SET "
                  + ", ".join(sets + ["updated = ?"]))
        parameters = (story, key, sentence_text, scope, int(bool(bookmark)), note or "",
                      None if status is KEEP else status, article.outlet or article.label, article.date, article.url,
                      stamp, stamp, *values, stamp)
        cleanup = ("DELETE FROM marks WHERE story = ? AND article = ? AND sentence_text = ? AND scope = ? "
                   "AND bookmark = 0 AND note = '' AND status IS NULL", (story, key, sentence_text, scope))
        self._write([*self._story_steps(cluster), (insert, parameters), cleanup])


def anchor(article: Article, text: str) -> int | None:
    """The sentence a mark's text belongs to now: the same text, else the closest (≥ REANCHOR_MIN)."""
    for sentence in article.sentences:
        if sentence.text == text:
            return sentence.id
    from rapidfuzz import fuzz, process

    best = process.extractOne(text, [s.text for s in article.sentences], scorer=fuzz.ratio, score_cutoff=REANCHOR_MIN)
    return best[2] if best else None
