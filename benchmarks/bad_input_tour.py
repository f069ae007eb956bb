"""A tour of bad input: about a hundred kinds, each run through the real CLI in a fresh process.
Prints, per kind, the exit code, the time, and the first line of stderr; flags a traceback, a
hang (over 60 s), a raw control character in the output, or an exit code it should not end with
(README "Exit codes": 0 done, 1 the run failed, 2 usage error, 3 done but inputs skipped, 141 the
reader of the pipe left): any of 0-3 for the first kinds, those each later kind names for itself.

    python -m benchmarks.bad_input_tour
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "tui"]
GOOD = "Pompeo met Lavrov in Sochi on Tuesday. They talked about Iran."
EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e[@click=app.quit]"
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e")


def flags_of(code, out: str, err: str, codes, *own: tuple[str, object], crashes=("Traceback",)) -> list[str]:
    """What went wrong in one run: the checks every kind gets (a hang, a crash, an exit code it
    may not end with, a raw control character on screen), then the kind's own (label, bad)."""
    common = (
        ("HANG", code == "-"),
        ("TRACEBACK", any(crash in err for crash in crashes)),
        (f"EXIT {code}", code not in codes and code != "-"),
        ("RAW CONTROL", any(raw in out or raw in err for raw in RAW)),
    )
    return [flag for flag, bad in (*common, *own) if bad]


def kinds(tmp: Path):
    """(name, args, stdin bytes or None); files are made on the way."""

    def f(name: str, data: bytes | str) -> str:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return str(path)

    def folder(name: str, files: dict[str, bytes | str]) -> str:
        for file_name, data in files.items():
            f(f"{name}/{file_name}", data)
        return str(tmp / name)

    out = []
    add = lambda name, *args, stdin=None: out.append((name, list(args), stdin))  # noqa: E731
    # missing, odd paths
    add("missing .txt", str(tmp / "nope.txt"))
    add("missing .pdf", str(tmp / "nope.pdf"))
    add("missing folder/", str(tmp / "nope") + "/")
    add("unsupported .pdf", f("x.pdf", "%PDF-1.4"))
    add("no extension", f("noext", GOOD))
    add("empty file", f("empty.txt", ""))
    add("only spaces", f("spaces.txt", "   \n\n  "))
    add("binary", f("bin.txt", bytes(range(256)) * 4))
    add("NUL in text", f("nul.txt", GOOD + "\x00" + GOOD))
    add("only control sequences", f("ctl.txt", "\x1b[2J\x07\x1b]0;t\x07"))
    add("name with ESC", f(f"evil{EVIL.replace('/', '')}.txt", GOOD))
    add("name with newline", f("two\nlines.txt", GOOD))
    add("name 300 bytes", str(tmp / ("x" * 300 + ".txt")))
    add("same file twice", f("twice.txt", GOOD), str(tmp / "twice.txt"))
    add("- twice", "-", "-", stdin=GOOD.encode())
    add("stdin empty", "-", stdin=b"")
    add("stdin text", "-", stdin=GOOD.encode())
    add("stdin JSON", "-", stdin=json.dumps({"text": GOOD}).encode())
    add("stdin JSONL", "-", stdin=(json.dumps({"text": GOOD}) + "\n" + json.dumps({"text": GOOD}) + "\n").encode())
    add("stdin HTML", "-", stdin=f"<html><body><p>{GOOD}</p></body></html>".encode())
    add("stdin binary", "-", stdin=bytes(range(256)))
    add("stdin deep JSON", "-", stdin=b"[" * 50000 + b"]" * 50000)
    # special files
    fifo = tmp / "fifo.txt"
    os.mkfifo(fifo)
    add("FIFO", str(fifo))
    zero = tmp / "zero.txt"
    zero.symlink_to("/dev/zero")
    add("symlink to /dev/zero", str(zero))
    add("/dev/null", "/dev/null")
    loop = tmp / "loop"
    loop.mkdir()
    f("loop/a.txt", GOOD)
    (loop / "self").symlink_to(".")
    (loop / "l1").symlink_to("l2")
    (loop / "l2").symlink_to("l1")
    add("symlink loops in folder", str(loop))
    dangling = tmp / "dangling.txt"
    dangling.symlink_to(tmp / "gone.txt")
    add("dangling symlink", str(dangling))
    add("too big (--max-bytes)", "--max-bytes", "100", f("big.txt", GOOD * 10))
    add("bad --max-bytes", "--max-bytes", "lots", f("ok.txt", GOOD))
    # encodings
    fr = "Le président a rencontré à l'Élysée le Premier ministre, après une journée de grèves."
    pl = "Prezydent spotkał się w środę z przedstawicielami rządu, aby omówić sytuację."
    for enc in ("latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32", "utf-8-sig"):
        add(f"French {enc}", f(f"fr-{enc}.txt", fr.encode(enc)))
    for enc in ("cp1250", "iso-8859-2", "utf-16-be"):
        add(f"Polish {enc}", f(f"pl-{enc}.txt", pl.encode(enc)))
    add("UTF-8 with a bad byte", f("badbyte.txt", fr.encode()[:20] + b"\xff" + fr.encode()[20:]))
    add("Russian cp1251", f("ru.txt", "Президент России встретился с госсекретарём США в Сочи.".encode("cp1251")))
    add("CRLF text", f("crlf.txt", GOOD.replace(". ", ".\r\n\r\n")))
    # JSON
    add("invalid JSON", f("bad.json", "{oops"))
    add("JSON nested 10k", f("deep.json", "[" * 10000 + "]" * 10000))
    add("JSON huge integer", f("huge.json", '{"text": "x", "n": ' + "9" * 5000 + "}"))
    add("JSON number", f("num.json", "42"))
    add("JSON string", f("str.json", '"just text"'))
    add("JSON null", f("null.json", "null"))
    add("JSON empty list", f("emptylist.json", "[]"))
    add("JSON article without text", f("notext.json", '{"id": "a"}'))
    add("JSON text not a string", f("textnum.json", '{"text": 5}'))
    add("JSON cluster without articles", f("noarts.json", '{"id": "c", "articles": []}'))
    add("JSON cluster, one bad article", f("onebad.json", json.dumps({"articles": [{"text": GOOD}, {"id": 1}]})))
    add(
        "JSON evil fields",
        f(
            "evil.json",
            json.dumps(
                {
                    "id": EVIL,
                    "title": EVIL,
                    "articles": [
                        {
                            "id": EVIL,
                            "title": EVIL,
                            "outlet": EVIL,
                            "url": EVIL,
                            "date": EVIL,
                            "authors": [EVIL, 5],
                            "text": GOOD,
                        },
                        {"id": "b", "text": GOOD},
                    ],
                }
            ),
        ),
    )
    add("JSON authors as dict", f("authdict.json", json.dumps({"text": GOOD, "authors": {"a": 1}})))
    add("JSON title as list", f("titlelist.json", json.dumps({"text": GOOD, "title": [1, 2]})))
    add("JSON duplicate ids", f("dupids.json", json.dumps([{"id": "a", "text": GOOD}, {"id": "a", "text": GOOD}])))
    add("JSON with BOM", f("bom.json", b"\xef\xbb\xbf" + json.dumps({"text": GOOD}).encode()))
    add("JSON NaN", f("nan.json", '{"text": "' + GOOD + '", "n": NaN}'))
    add(
        "JSONL one bad line",
        f("some.jsonl", json.dumps({"text": GOOD}) + "\n{oops\n" + json.dumps({"text": GOOD}) + "\n"),
    )
    add("JSONL all bad", f("allbad.jsonl", "{oops\n[1,\n"))
    add("JSONL deep line", f("deepline.jsonl", json.dumps({"text": GOOD}) + "\n" + "[" * 10000 + "]" * 10000 + "\n"))
    add("JSONL blank lines only", f("blank.jsonl", "\n\n\n"))
    # Markdown and HTML
    add("Markdown evil front matter", f("evil.md", f'---\ntitle: "{EVIL}"\nauthors: 5\ntags: {{a: 1}}\n---\n\n{GOOD}'))
    add("Markdown bad front matter", f("badfm.md", "---\ntitle: [unclosed\n---\n\n" + GOOD))
    add("Markdown alias bomb", f("bomb.md", "---\na: &a [x,x]\nb: &b [*a,*a]\n---\n\n" + GOOD))
    add("Markdown nested 40 quotes", f("quotes.md", "> " * 40 + GOOD))
    add("Markdown 3000 list levels", f("lists.md", "- " * 3000 + GOOD))
    add("Markdown only headings", f("heads.md", "# Title\n\n## Sub\n"))
    add("Markdown HTML only", f("html.md", "<div><script>alert(1)</script></div>"))
    add("HTML no article", f("empty.html", "<html><body><nav>Menu</nav></body></html>"))
    add(
        "HTML evil",
        f(
            "evil.html",
            f"<html><head><title>{EVIL}</title></head><body><article><p>{GOOD} "
            f"They met for three hours to discuss Venezuela and arms control.</p></article></body></html>",
        ),
    )
    add("HTML script only", f("script.html", "<html><body><script>while(1){}</script></body></html>"))
    add("HTML binary junk", f("junk.html", bytes(range(1, 256)) * 10))
    # folders
    add("empty folder", folder("emptydir", {}) if (tmp / "emptydir").mkdir() is None else "")
    add("folder of unsupported", folder("unsup", {"a.pdf": "x", "b.doc": "y"}))
    add("folder: good + bad", folder("mixed", {"a.txt": GOOD, "b.json": "{oops", "c.txt": "", "d.pdf": "x"}))
    add("folder: deep JSON beside good", folder("deepmix", {"a.txt": GOOD, "deep.json": "[" * 10000 + "]" * 10000}))
    add("cluster.yaml invalid", folder("yamlbad", {"a.txt": GOOD, "cluster.yaml": "title: [unclosed"}))
    add("cluster.yaml list", folder("yamllist", {"a.txt": GOOD, "cluster.yaml": "- a\n- b\n"}))
    add("cluster.yaml articles list", folder("yamlartlist", {"a.txt": GOOD, "cluster.yaml": "articles: [a.txt]\n"}))
    add("cluster.yaml articles string", folder("yamlartstr", {"a.txt": GOOD, "cluster.yaml": "articles: hello\n"}))
    add(
        "cluster.yaml alias bomb",
        folder(
            "yamlbomb",
            {
                "a.txt": GOOD,
                "cluster.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\n"
                + "".join(
                    f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}" if i > 1 else "*a"] * 9) + "]\n" for i in range(1, 10)
                ),
            },
        ),
    )
    add(
        "cluster.yaml evil title",
        folder("yamlevil", {"a.txt": GOOD, "cluster.yaml": f'title: "{EVIL}"\nid: "{EVIL}"\n'}),
    )
    add("cluster.yaml binary", folder("yamlbin", {"a.txt": GOOD, "cluster.yaml": bytes(range(256))}))
    add("hidden files only", folder("hidden", {".a.txt": GOOD}))
    add("nested folders", folder("nest/a/b/c", {"x.txt": GOOD}).rsplit("/a/b/c", 1)[0])
    # big and pathological text
    add("20k sentences, one paragraph", f("para.txt", " ".join(f"It is. Go {i}." for i in range(20000))))
    add("100k tiny sentences", f("tiny.txt", " ".join("Hi." for _ in range(100000))))
    add("2 MB word", f("word.txt", "a" * 2_000_000))
    add("1 MB of quotes", f("quotes.txt", '"Hi," he said. ' * 70000))
    add("1 MB of exclamations", f("bang.txt", "A! " * 350000))
    add("1 MB of dots", f("dots.txt", "a." * 500000))
    add("long line no punctuation", f("noline.txt", "word " * 200000))
    add("CJK without spaces", f("cjk.txt", "北京时间周二美国国务卿在索契会见了俄罗斯外长。" * 2000))
    add("emoji and combining", f("emoji.txt", "😀e\u0301 " * 50000 + "."))
    add("bidi and zero width", f("bidi.txt", "\u202eabc\u200b\u2066def\u2069. " * 1000))
    # commands
    add("search: options after query", "search", "Lavrov", "--limit", "2", str(ROOT / "seeds"))
    add("search: empty query", "search", "", str(ROOT / "seeds"))
    add("search: only operators", "search", "!^$|'", str(ROOT / "seeds"))
    add("search: --limit 0", "search", "x", "--limit", "0")
    add("search: evil query", "search", EVIL)
    add("align: --min-score 2", "align", "--min-score", "2")
    add("align: --min-score -1", "align", "--min-score", "-1")
    add("align: --min-score nan", "align", "--min-score", "nan")
    add("align: --min-score 0.99", "align", "--min-score", "0.99")
    add("keys: unknown preset", "keys", "--keymap", "nano")
    add("keys: markup path", "keys", "--keymap", f("x[/foo].yaml", "bindings:\n  sync: alt+y\n"))
    add("keys: evil YAML", "keys", "--keymap", f("evilkeys.yaml", f'bindings:\n  "{EVIL}": x\n'))
    add("keys: alias bomb", "keys", "--keymap", f("bombkeys.yaml", "a: &a [x]\nbindings: {sync: *a}\n"))
    add("keys: binary", "keys", "--keymap", f("binkeys.yaml", bytes(range(256))))
    add("unknown command-like word", "frobnicate")
    add("unknown option", "articles", "--frob")
    return out


# ---------------------------------------------------------------- where output goes (#28: 1-4, 16-18)
# Each kind names the exit codes it may end with and, where it matters, what must hold after it
# (nothing written outside a folder, a device still a device); standard output may be a full
# disk or a pipe whose reader has gone.


def output_kinds(tmp: Path):
    """(name, args, stdout: None | "/dev/full" | "closed", exit codes allowed, check or None)."""
    import socket

    out = []

    def add(name: str, *args: str, codes: tuple[int, ...], stdout: str | None = None, check=None) -> None:
        out.append((name, list(args), stdout, codes, check))

    seeds = str(ROOT / "seeds")

    def pile(name: str, ids: list[str]) -> str:
        path = tmp / name
        path.write_text(
            "".join(json.dumps({"id": i, "title": "Pompeo meets Lavrov", "text": GOOD}) + "\n" for i in ids)
        )
        return str(path)

    def stays_inside(folder: Path, ids: list[str]):
        """No file named after an id's last part anywhere in the tour's folder but in `folder`, nor
        at an absolute id's path."""

        def check() -> str | None:
            names = {Path(i.replace("\\", "/")).name + ".json" for i in ids}
            strays = [
                Path(top, name)
                for top, _, files in os.walk(tmp.parent)
                for name in files
                if name in names and folder not in Path(top).parents
            ]
            strays += [Path(i + ".json") for i in ids if i.startswith("/") and Path(i + ".json").exists()]
            return f"written outside {folder.name}: {strays[0]}" if strays else None

        return check

    def is_kind(path: Path, test, what: str):
        return lambda: None if test(os.lstat(path).st_mode) else f"{path} is no longer {what}"

    import stat

    unsafe_ids = (
        ["../../../escaped1", "..\\..\\escaped2", "a/../../escaped4"],  # not "b": the tour's own mixed/b.json
        [str(tmp / "abs" / "escaped3"), "/etc/x"],
        ["x" * 300, "é" * 200, ".hidden", "CON", "Same", "same", "-rf", EVIL],
    )
    for n, ids in enumerate(unsafe_ids):
        folder = tmp / f"stories{n}"
        add(
            f"stories --out: unsafe ids {n + 1}",
            "stories",
            pile(f"pile{n}.jsonl", ids),
            "--out",
            str(folder),
            codes=(0,),
            check=stays_inside(folder, ids),
        )
    add(
        "stories --out: missing parent",
        "stories",
        seeds,
        "--out",
        str(tmp / "nonexist" / "out"),
        codes=(1,),
        check=lambda: "made the missing parent" if (tmp / "nonexist").exists() else None,
    )
    (tmp / "full").mkdir()
    (tmp / "full" / "x").write_text("x")
    add("stories --out: folder not empty", "stories", seeds, "--out", str(tmp / "full"), codes=(1,))
    null = tmp / "null"  # a private /dev/null where it can be made: a failure as root must not replace the real one
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:  # not root: the real one, which only root could replace
        null = Path("/dev/null")
    add(
        "export -o /dev/null",
        "export",
        "--format",
        "md",
        "-o",
        str(null),
        codes=(0,),
        check=is_kind(null, stat.S_ISCHR, "a character device"),
    )
    fifo = tmp / "out.fifo"
    os.mkfifo(fifo)
    add(
        "export -o FIFO nobody reads",
        "export",
        "--format",
        "md",
        "-o",
        str(fifo),
        codes=(1,),
        check=is_kind(fifo, stat.S_ISFIFO, "a FIFO"),
    )
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp / "out.sock"))
    add(
        "export -o socket",
        "export",
        "-o",
        str(tmp / "out.sock"),
        codes=(1,),
        check=is_kind(tmp / "out.sock", stat.S_ISSOCK, "a socket"),
    )
    add("export -o folder", "export", "-o", str(tmp), codes=(1,))
    (tmp / "real.html").write_text("old")
    (tmp / "link.html").symlink_to("real.html")
    add(
        "export -o symlink",
        "export",
        "-o",
        str(tmp / "link.html"),
        codes=(0,),
        check=is_kind(tmp / "link.html", stat.S_ISLNK, "a symlink"),
    )
    add("export -o missing folder", "export", "-o", str(tmp / "nonexist" / "x.html"), codes=(1,))
    stream = tmp / "stream.jsonl"
    two = [{"id": "a", "text": GOOD}, {"id": "b", "text": GOOD}]
    stream.write_text("".join(json.dumps({"id": f"s{n}", "articles": two}) + "\n" for n in range(3)))
    add(
        "batch -o missing parent",
        "align",
        str(stream),
        "--json",
        "-o",
        str(tmp / "nonexist" / "out.jsonl"),
        codes=(1,),
        check=lambda: "made the missing parent" if (tmp / "nonexist").exists() else None,
    )
    add("batch -o folder", "align", str(stream), "--json", "-o", str(tmp), codes=(1,))
    for value in ("10000", "99999999999999999999", "-1", "many"):
        add(f"--jobs {value}", "align", str(stream), "--json", "--jobs", value, codes=(2,))
    for value in ("200G", "1e400G", "9" * 40):
        add(f"--max-bytes {value[:20]}", "articles", "--max-bytes", value, seeds, codes=(2,))
    for value in ("99999999999999d", "999999999w", "0m", "-5d"):
        add(f"feeds --since {value}", "feeds", "--since", value, str(stream), codes=(2,))
    for value, codes in (
        ("127.0.0.1", (2,)),
        ("foo://bar", (2,)),
        ("http://127.0.0.1:8787", (2,)),
        ("tcp://127.0.0.1:99999", (2,)),
        ("tcp://127.0.0.1:1", (1,)),  # a good address where no scheduler listens: a failed run, not a usage error
        (EVIL, (2,)),
    ):
        add(f"--scheduler {value[:24]!r}", "align", str(stream), "--json", "--scheduler", value, codes=codes)
    for args in (["align", "--json", seeds], ["export"], ["articles", "--json", "--jobs", "2", str(stream)], ["keys"]):
        add(f"stdout full: {' '.join(args[:2])}", *args, stdout="/dev/full", codes=(1,))
        add(f"stdout closed: {' '.join(args[:2])}", *args, stdout="closed", codes=(141,))
    return out


def run_output_kind(args: list[str], stdout: str | None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one run; stdout "closed": a pipe whose reader left before the first byte."""
    if stdout == "closed":
        process = subprocess.Popen(
            CLI + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
        )
        process.stdout.close()
        err = process.stderr.read()
        return process.wait(timeout=60), "", err.decode("utf-8", "replace")
    if stdout:
        with open(stdout, "w") as target:
            run = subprocess.run(
                CLI + args, stdin=subprocess.DEVNULL, stdout=target, stderr=subprocess.PIPE, timeout=60, cwd=ROOT
            )
        return run.returncode, "", run.stderr.decode("utf-8", "replace")
    run = subprocess.run(CLI + args, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, cwd=ROOT)
    return run.returncode, run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")


def tour_output(tmp: Path) -> tuple[int, int]:
    """Runs output_kinds; (kinds, kinds with problems)."""
    tmp.mkdir()
    cases = output_kinds(tmp)
    problems = 0
    for name, args, stdout, codes, check in cases:
        started = time.perf_counter()
        try:
            code, out, err = run_output_kind(args, stdout)
            seconds = time.perf_counter() - started
            flags = flags_of(
                code,
                out,
                err,
                codes,
                ("NOT ONE LINE", code not in (0, 141) and len(err.strip().splitlines()) != 1),
                crashes=("Traceback", "Exception ignored"),
            )
            found = check() if check else None
            flags += [f"CHECK: {found}"] if found else []
            first = (err.strip().splitlines() or [""])[-1][:110]
        except subprocess.TimeoutExpired:
            seconds, code, first, flags = 60.0, "-", "", ["HANG"]
        problems += bool(flags)
        print(f"{name:34s} exit {code!s:3s} {seconds:6.2f} s  {' '.join(flags) or 'ok':12s} {first}", flush=True)
    return len(cases), problems


# ---------------------------------------------------------------- the network (#28: 10-12)
# Pages, feeds and the page cache, from a local site (tests/local_site.py): a slow server ends
# within the page's 20 s (a good page beside it still printed), a compression bomb at the body
# limit without the memory it stands for, a feed's repeats fetched once and its unfollowable
# items said, a damaged cache named with its path. Each kind has a cache folder of its own.

WEB_SECONDS = 35  # the page's 20 s, the start-up and a margin
WEB_PEAK_MB = 300  # a run's memory: about 60 MB to start, a 10 MB body read and parsed


def web_kinds(tmp: Path, site, trickle):
    """(name, args, prepare(cache folder) or None, exit codes allowed, text stderr must hold, check or None)."""
    import zlib

    import brotli

    out = []

    def add(name: str, *args: str, prepare=None, codes=(0,), says: str = "", check=None) -> None:
        out.append((name, list(args), prepare, codes, says, check))

    good = site.url("/news/story-1.html")
    # 10: slow at every stage of a request
    site.hop_seconds = 5.0  # six waits of 5 s: 30 s in all
    add(
        "slow headers beside a good page",
        "articles",
        site.url("/drip-headers"),
        good,
        codes=(3,),
        says="timed out after 20 s",
        check=lambda out, err: None if "The Daily Planet" in out else "the good page was not printed",
    )
    add("redirects that each wait", "articles", site.url("/slow-hop/0"), good, codes=(3,), says="timed out after 20 s")
    add(
        "a wait, then TLS a byte at a time",
        "articles",
        site.url(f"/wait-then-go?to={trickle.url}"),
        good,
        codes=(3,),
        says="timed out after 20 s",
    )
    add("TLS a byte at a time, alone", "articles", trickle.url, codes=(1,), says="timed out after 20 s")

    # 11: compression bombs, each far over the 10 MB limit once decompressed
    def squeezed(size_mb: int, codings: str) -> bytes:
        chunks = (b"A" * (1 << 20) for _ in range(size_mb))
        for coding in codings.split(", "):
            if coding == "br":
                compressor = brotli.Compressor(quality=5)
                chunks = [*(compressor.process(chunk) for chunk in chunks), compressor.finish()]
            else:
                compressor = zlib.compressobj(9, zlib.DEFLATED, {"gzip": 31, "deflate": 15, "raw": -15}[coding])
                chunks = [*(compressor.compress(chunk) for chunk in chunks), compressor.flush()]
        return b"".join(chunks)

    for n, (size_mb, codings) in enumerate(
        [
            (3072, "br"),
            (512, "gzip"),
            (512, "deflate"),
            (512, "raw"),
            (1024, "gzip, br"),
            (1024, "br, br"),
            (512, "br, gzip"),
        ]
    ):
        path = f"/bomb/{n}"
        header = {"Content-Encoding": codings.replace("raw", "deflate")}
        site.routes[path] = (squeezed(size_mb, codings), "text/html", header)
        add(
            f"bomb: {size_mb} MB, {codings}",
            "articles",
            site.url(path),
            good,
            codes=(3,),
            says="over the limit of 10.0 MB",
        )
    site.routes["/zstd"] = (b"(\xb5/\xfd\x00Xa\x00\x00", "text/html", {"Content-Encoding": "zstd"})
    add("body in zstd", "articles", site.url("/zstd"), good, codes=(3,), says="cannot be read")
    site.routes["/not-br"] = (b"not brotli", "text/html", {"Content-Encoding": "br"})
    add("body that is not brotli", "articles", site.url("/not-br"), good, codes=(3,), says="does not decode")

    # 12: a feed's repeats and unfollowable items; addresses in two spellings
    port = site.server.server_address[1]
    links = [
        site.url("/good/100"),
        site.url("/good/100#dup"),
        site.url("/good/100#"),
        f"HTTP://127.0.0.1:{port}/good/100",
        site.url("/%67ood/100"),
        site.url("/good/101"),
        "javascript:alert(1)",
        "file:///etc/passwd",
        f"javascript:{EVIL}",
        None,
        5,
    ]
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": EVIL,
        "items": [{"id": str(n), "title": EVIL, "url": link} for n, link in enumerate(links)],
    }
    site.routes["/repeats.json"] = (json.dumps(json_feed).encode(), "application/feed+json", {})

    def fetched_once(out: str, err: str) -> str | None:
        hits = (site.hits.get("/good/100", 0), site.hits.get("/good/101", 0))
        return None if hits == (1, 1) else f"pages fetched {hits} times, not once each"

    add(
        "feed: repeats and unfollowable items",
        "articles",
        site.url("/repeats.json"),
        codes=(3,),
        says="5 items skipped, without an http or https link",
        check=fetched_once,
    )
    feed_file = tmp / "repeats.json.feed"
    feed_file.write_text(json.dumps(json_feed))
    add("feed file: repeats and unfollowable items", "articles", str(feed_file), codes=(3,), says="5 items skipped")
    add(
        "one page in three spellings",
        "articles",
        site.url("/good/102#a"),
        site.url("/good/102"),
        f"HTTP://127.0.0.1:{port}/good/102",
        says="already read (skipped)",
    )

    # 12: the page cache damaged in every way, read online and offline
    def filled(damage):
        def prepare(home: Path) -> None:
            subprocess.run(
                CLI + ["articles", good],
                capture_output=True,
                timeout=60,
                cwd=ROOT,
                env={**os.environ, "XDG_CACHE_HOME": str(home)},
            )
            damage(home / "broadsheet" / "http" / "cache.db")

        return prepare

    def scribble(offset: int, size: int):
        def damage(path: Path) -> None:
            with open(path, "r+b") as handle:
                handle.seek(offset)
                handle.write(b"\xfe" * size)

        return damage

    damages = {
        "not a database": lambda path: path.write_bytes(bytes(range(256)) * 40),
        "cut in half": lambda path: os.truncate(path, path.stat().st_size // 2),
        "cut to 100 bytes": lambda path: os.truncate(path, 100),
        "header scribbled": scribble(16, 84),
        "pages scribbled": scribble(4096, 4096 * 8),
        "emptied": lambda path: path.write_bytes(b""),
    }
    for what, damage in damages.items():
        add(f"cache {what}", "articles", good, prepare=filled(damage))
        # offline, a damaged cache's copies are not read: the one page is not there, nothing loads
        add(f"cache {what}, --offline", "articles", "--offline", good, prepare=filled(damage), codes=(1,))

    def folder_in_its_place(home: Path) -> None:
        (home / "broadsheet" / "http" / "cache.db").mkdir(parents=True)

    def foreign_schema(home: Path) -> None:
        import sqlite3

        (home / "broadsheet" / "http").mkdir(parents=True)
        with sqlite3.connect(home / "broadsheet" / "http" / "cache.db") as connection:
            connection.execute("CREATE TABLE streams (x)")
        connection.close()

    add("cache: a folder in its place", "articles", good, prepare=folder_in_its_place, says="cannot be used")
    add("cache: another program's tables", "articles", good, prepare=foreign_schema, says="cannot be used")
    add("cache: another program's, --offline", "articles", "--offline", good, prepare=foreign_schema, codes=(1,))
    return out


def run_web_kind(args: list[str], env: dict[str, str]) -> tuple[int | str, str, str, float]:
    """(exit code or "-" when killed at 60 s, stdout, stderr, peak memory in MB) of one run."""
    import threading

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(CLI + args, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=ROOT, env=env)
        killer = threading.Timer(60, process.kill)
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)  # its own peak memory, which subprocess.run does not give
        killer.cancel()
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (
            "-" if code == -9 else code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_maxrss / 1024,
        )


def tour_web(tmp: Path) -> tuple[int, int]:
    """Runs web_kinds against a local site; (kinds, kinds with problems)."""
    from tests.local_site import Site, TrickleTLS

    tmp.mkdir()
    site, trickle = Site().start(), TrickleTLS()
    problems = 0
    try:
        cases = web_kinds(tmp, site, trickle)
        for number, (name, args, prepare, codes, says, check) in enumerate(cases):
            home = tmp / f"cache{number}"
            home.mkdir()
            if prepare:
                prepare(home)
            started = time.perf_counter()
            code, out, err, peak = run_web_kind(args, {**os.environ, "XDG_CACHE_HOME": str(home)})
            seconds = time.perf_counter() - started
            found = check(out, err) if check else None
            named = not name.startswith("cache") or "emptied" in name or str(home) in err
            flags = flags_of(
                code,
                out,
                err,
                codes,
                (f"SLOW {seconds:.0f} s", seconds > WEB_SECONDS),
                (f"MEMORY {peak:.0f} MB", peak > WEB_PEAK_MB),
                (f"NOT SAID: {says}", says not in err),
                ("CACHE NOT NAMED", not named),
                (f"CHECK: {found}", found),
            )
            problems += bool(flags)
            first = (err.strip().splitlines() or [""])[0][:110]
            print(
                f"{name:34s} exit {code!s:3s} {seconds:6.2f} s {peak:5.0f} MB  {' '.join(flags) or 'ok':12s} {first}",
                flush=True,
            )
    finally:
        site.stop()
        trickle.stop()
    return len(cases), problems


# ---------------------------------------------------------------- reading only what was pointed at (#28: 5-9, 19)
# Links out of a story folder, /proc, special files as keymaps, lone surrogates in every field,
# dates YAML cannot build, YAML nested ten thousand deep, HTML references to controls, a page
# nested 100k deep, click echoing what was typed. Each kind names the exit codes it may end
# with, what stderr must say, and what must not reach stdout; each runs fenced (READING_FENCE).

READING_FENCE = 1 << 30  # bytes of address space: /dev/zero read as a keymap grew by a gigabyte a second
PRIVATE = "The private diary entry nobody shared."


def reading_kinds(tmp: Path):
    """(name, args, exit codes allowed, text stderr must hold or "", text stdout must not hold or "")."""
    out = []

    def add(name: str, *args: str, codes=(0,), says: str = "", hides: str = "") -> None:
        out.append((name, list(args), codes, says, hides))

    def write(name: str, text: str) -> str:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return str(path)

    # 5: links out of a folder, pseudo and special files
    write("private/diary.txt", f"{PRIVATE} It must stay home.")
    links = {
        "to-private-folder": tmp / "private",
        "to-private-file.txt": tmp / "private" / "diary.txt",
        "to-root": Path("/"),
        "to-parent": Path(".."),
        "to-proc": Path("/proc/self"),
    }
    for name, target in links.items():
        links_dir = Path(write(f"links-{name}/a.txt", GOOD)).parent
        (links_dir / name).symlink_to(target)
        for command in (["articles", "--json"], ["export", "--format", "md"]):
            add(
                f"{command[0]}: link {name}",
                *command,
                str(links_dir),
                codes=(3,),
                says="symbolic link to outside the folder",
                hides=PRIVATE,
            )
    add("articles /proc/self", "articles", "/proc/self", codes=(1,), says="no articles found in this folder")
    add("articles /proc/self/task", "articles", "/proc/self/task", codes=(1,), says="no articles found")
    special = Path(write("special/a.txt", GOOD)).parent
    os.mkfifo(special / "pipe")
    os.mkfifo(special / "pipe.json")
    (special / "zero.txt").symlink_to("/dev/zero")
    add(
        "folder: FIFOs and /dev/zero link",
        "articles",
        str(special),
        codes=(3,),
        says="a FIFO (named pipe), not a file to read",
    )
    deep = tmp.joinpath("deepfolders", *[f"d{i}" for i in range(40)])
    write(str(deep.relative_to(tmp) / "x.txt"), GOOD)
    write("deepfolders/a.txt", GOOD)
    add(
        "folder: 40 folders deep",
        "articles",
        str(tmp / "deepfolders"),
        codes=(3,),
        says="folders deep (folder skipped)",
    )
    # 6: lone surrogates in every field, a pair written as two halves
    lone = "\\ud800"
    article = {
        "id": f"a{lone}",
        "title": f"T{lone}",
        "outlet": "\\ud83d",
        "url": f"https://a.example/{lone}",
        "date": lone,
        "authors": [f"\\udfff{lone}"],
        "tags": [lone],
        "text": f"Pompeo met Lavrov {lone} in Sochi on Tuesday. \\ud83d\\ude00 They talked {lone}.",
    }
    fields = ", ".join(f'"{k}": ' + (f'["{v[0]}"]' if isinstance(v, list) else f'"{v}"') for k, v in article.items())
    second = fields.replace("a" + lone, "b")
    story = f'{{"id": "c{lone}", "title": "S{lone}", "articles": [{{{fields}}}, {{{second}}}]}}'
    surrogates = write("surrogates/cluster.json", story)
    stream = write("surrogates-stream.jsonl", story + "\n" + story + "\n")
    write("surrogates/front.md", f'---\ntitle: "F{lone}"\noutlet: "{lone}"\ndate: "{lone}"\n---\n\n{GOOD}')
    write("surrogates/cluster.yaml", f'title: "Y{lone}"\nid: "{lone}"\n')
    for command in (
        ["articles"],
        ["articles", "--json"],
        ["align", "--json"],
        ["quotes"],
        ["search", "Pompeo"],
        ["stories", "--json"],
        ["export"],
        ["export", "--format", "md"],
        ["export", "--format", "json"],
    ):
        add(f"surrogates: {' '.join(command)}", *command, surrogates)
        add(f"surrogates folder: {' '.join(command)}", *command, str(tmp / "surrogates"))
    for jobs in ("1", "2"):
        add(f"surrogates batch --jobs {jobs}", "articles", "--json", "--jobs", jobs, stream)
    feed = write(
        "surrogates-feed.json",
        '{"version": "https://jsonfeed.org/version/1.1", "title": "F%s", "items": '  # noqa: UP031
        '[{"url": "https://a.example/%s", "title": "I%s"}]}' % (lone, lone, lone),
    )
    add("surrogates: feeds", "feeds", feed, "--json")
    add(
        "surrogates: keymap",
        "keys",
        "--keymap",
        write("surrogates-keys.yaml", f'bindings:\n  "s{lone}": x\n'),
        codes=(1,),
        says="unknown binding id",
    )
    # 7: dates YAML cannot build, YAML nested too deeply
    for n, date in enumerate(
        ("2019-02-30", "2019-13-01", "0000-01-01", "2019-05-14T10:00:00+99:00", "2019-05-14 25:61:00")
    ):
        folder = Path(write(f"dates{n}/a.md", f"---\ntitle: Dated\ndate: {date}\n---\n\n{GOOD}")).parent
        write(f"dates{n}/b.txt", GOOD)
        write(f"dates{n}/cluster.yaml", f"title: Dates\narticles:\n  b.txt: {{date: {date}}}\n")
        add(f"YAML date {date}", "articles", "--json", str(folder))
    for opening in ("[", "{"):
        add(
            f"cluster.yaml 10k {opening}",
            "articles",
            str(Path(write(f"deepyaml{opening}/cluster.yaml", "title: " + opening * 10_000)).parent),
            says="nested more than",
        )
        write(f"deepyaml{opening}/a.txt", GOOD)
        add(
            f"front matter 10k {opening}",
            "articles",
            write(f"deepfront{opening}.md", f"---\ntitle: {opening * 10_000}\n---\n\n{GOOD}"),
            says="nested more than",
        )
        deep_keys = write(f"deepkeys{opening}.yaml", "bindings: " + opening * 10_000)
        add(f"keymap 10k {opening}", "keys", "--keymap", deep_keys, codes=(1,), says="nested more than")
    add(
        "keymap: impossible date",
        "keys",
        "--keymap",
        write("datekeys.yaml", "bindings:\n  sync: 2019-02-30\n"),
        codes=(1,),
        says="invalid key '2019-02-30'",
    )
    # 8: keymaps from special files
    os.mkfifo(tmp / "fifo-keys.yaml")
    for target in ("/dev/zero", "/dev/urandom", str(tmp / "fifo-keys.yaml"), str(tmp)):
        add(f"keys --keymap {Path(target).name}", "keys", "--keymap", target, codes=(1,), says="not a file to read")
        extends = write(f"extends-{Path(target).name}.yaml", f"extends: {target}\n")
        add(f"extends: {Path(target).name}", "keys", "--keymap", extends, codes=(1,), says="not a file to read")
    add("reader --keymap /dev/zero", "--keymap", "/dev/zero", codes=(1,), says="a character device")
    add(
        "keymap of 2 MB",
        "keys",
        "--keymap",
        write("big-keys.yaml", "# padding\n" * 200_000),
        codes=(1,),
        says="over the size limit",
    )
    # 9: HTML references to controls and noncharacters, pages nested 100k deep
    page = (
        "<html><head><title>T</title></head><body>{open}<article><p>Pompeo met Lavrov in Sochi on Tuesday{ref} "
        "and they talked. They met for three hours to discuss Venezuela and arms control.</p></article>{close}"
        "</body></html>"
    )
    for n, ref in enumerate(
        (
            "&#27;",
            "&#7;",
            "&#1;",
            "&#0;",
            "&#65535;",
            "&#xFFFE;",
            "&#x1b;",
            "&#X07;",
            "&#0027;",
            "&#27",
            "&#x10FFFF;",
            "&#xFDD0;",
            "&#x110000;",
        )
    ):
        add(f"HTML {ref}", "articles", write(f"ref{n}.html", page.format(open="", ref=ref, close="")))
    for tag in ("div", "span", "section", "blockquote"):
        deep_page = page.format(open=f"<{tag}>" * 100_000, ref="", close=f"</{tag}>" * 100_000)
        add(f"HTML 100k <{tag}>", "articles", write(f"deep-{tag}.html", deep_page))
    add(
        "HTML 200k unclosed <figure",
        "articles",
        write("figures.html", page.format(open="<figure" * 200_000, ref="", close="")),
        codes=(0, 1),  # the parser may or may not find the article in the unclosed tags; the kind is about time
    )
    # 19: click's messages quote what was typed
    add("click: unknown option", "articles", f"--frob{EVIL}", codes=(2,), says="No such option")
    add("click: reader unknown option", f"--frob{EVIL}", codes=(2,), says="No such option")
    add("click: invalid choice", "export", "--format", EVIL, codes=(2,), says="is not one of")
    add("click: invalid int", "search", "x", "--limit", EVIL, codes=(2,), says="is not a valid integer")
    add("click: not a size", "articles", "--max-bytes", f"-{EVIL}", codes=(2,), says="not a size")
    add("click: keys unknown option", "keys", f"--json{EVIL}", codes=(2,), says="No such option")
    return out


def tour_reading(tmp: Path) -> tuple[int, int]:
    """Runs reading_kinds; (kinds, kinds with problems)."""
    tmp.mkdir()
    cases = reading_kinds(tmp)
    problems = 0
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_STATE_HOME": str(tmp / "state"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
    }
    for name, args, codes, says, hides in cases:
        started = time.perf_counter()
        code, out, err = run_fenced(args, env)
        seconds = time.perf_counter() - started
        flags = flags_of(
            code,
            out,
            err,
            codes,
            ("OUT OF MEMORY", "MemoryError" in err),
            ("SURROGATE", any("\ud800" <= ch <= "\udfff" for ch in out + err)),
            (f"NOT SAID: {says}", says not in err),
            ("LEAKED", hides and hides in out),
        )
        problems += bool(flags)
        first = (err.strip().splitlines() or [""])[-1][:110]
        print(f"{name:34s} exit {code!s:3s} {seconds:6.2f} s  {' '.join(flags) or 'ok':12s} {first}", flush=True)
    return len(cases), problems


def run_fenced(args: list[str], env: dict[str, str]) -> tuple[int | str, str, str]:
    """(exit code or "-" after 60 s, stdout, stderr) of a run held to READING_FENCE bytes of
    address space: a file read without end fails it with a MemoryError, not the machine."""
    import resource

    def fence() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (READING_FENCE, READING_FENCE))

    try:
        run = subprocess.run(
            CLI + args, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, cwd=ROOT, env=env, preexec_fn=fence
        )
    except subprocess.TimeoutExpired:
        return "-", "", ""
    return run.returncode, run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- the reading desk (#28: 13-15)
# `notes` and `export` on a desk another process holds, a damaged one (a page overwritten, the
# wrong schema, odd values), one that cannot be read or written, something that is not a file,
# and control sequences in every text column. Each kind names the exit codes it may end with,
# what stderr must say, and what must hold after it (the store kept, nothing moved aside).

DESK_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
for statement in ("PRAGMA locking_mode = EXCLUSIVE", "BEGIN EXCLUSIVE", "UPDATE marks SET note = note"):
    connection.execute(statement)
print("held", flush=True)
sys.stdin.read()  # until the tour closes it
"""


def desk_kinds(tmp: Path):
    """(name, args, prepare or None, codes, says, check or None, as a normal user)."""
    import shutil
    import sqlite3

    from tui.desk.store import Desk, article_key, story_key
    from tui.ingest.loader import load_paths

    seeds = str(ROOT / "seeds")
    story = load_paths([seeds]).stories[0]
    model = tmp / "model"
    desk = Desk.open(model)
    for n, article in enumerate(story.articles):
        for sentence in article.sentences[:12]:
            desk.update_mark(story, article, sentence.text, note=f"note {n} " + "x" * 300, bookmark=True)
    desk.close()
    out = []
    state = {}

    def add(name, *args, prepare=None, codes=(0,), says="", check=None, as_user=False):
        out.append((name, list(args), prepare, codes, says, check, as_user))

    def named(args) -> str:
        return " ".join("SEEDS" if arg == seeds else arg for arg in args)

    def store(name: str, *statements: str) -> str:
        """A copy of the model desk in its own folder, changed by `statements`; its folder."""
        folder = tmp / name
        shutil.copytree(model, folder)
        connection = sqlite3.connect(folder / "desk.sqlite3", isolation_level=None)
        for statement in statements:
            connection.execute(statement)
        connection.close()
        return str(folder)

    def unchanged(folder: str):
        before = (Path(folder) / "desk.sqlite3").read_bytes()

        def check() -> str | None:
            if any("unreadable" in p.name for p in Path(folder).iterdir()):
                return "moved aside"
            return None if (Path(folder) / "desk.sqlite3").read_bytes() == before else "the store was changed"

        return check

    def corrupted(name: str) -> str:
        folder = store(name)
        path = Path(folder) / "desk.sqlite3"
        good = path.read_bytes()
        for number in range(len(good) // 4096 - 1, 1, -1):
            damaged = good[: number * 4096 + 100] + b"\xde\xad\xbe\xef" * 200 + good[number * 4096 + 900 :]
            path.write_bytes(damaged)
            connection = sqlite3.connect(path)
            broken = connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]
            connection.close()
            if broken:
                break
        return folder

    # 13: a desk another process holds: waited for, then said busy; never moved aside
    held = store("held")

    def hold():
        state["holder"] = subprocess.Popen(
            [sys.executable, "-c", DESK_HOLDER, str(Path(held) / "desk.sqlite3")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        state["holder"].stdout.readline()

    def release_and_check() -> str | None:
        state["holder"].stdin.close()
        state["holder"].wait(timeout=10)
        if any("unreadable" in p.name for p in Path(held).iterdir()):
            return "moved aside"
        run = subprocess.run(CLI + ["notes", "--data-dir", held, "--json"], capture_output=True, cwd=ROOT, timeout=60)
        marks = sum(len(s["marks"]) for s in json.loads(run.stdout or b'{"stories": []}')["stories"])
        return None if marks == 12 * len(story.articles) else f"{marks} marks after the lock was let go"

    add(
        "desk: held by another process",
        "notes",
        "--data-dir",
        held,
        prepare=hold,
        codes=(1,),
        says="the desk is busy (another Broadsheet is writing to it)",
        check=release_and_check,
    )
    # 14: damaged pages, the wrong schema, odd values; not a file; modes
    for args in (("notes",), ("notes", "--json"), ("notes", seeds, "--format", "md")):
        folder = corrupted(f"corrupt{len(out)}")
        add(
            f"desk: page overwritten: {named(args)}",
            *args,
            "--data-dir",
            folder,
            codes=(3,),
            says="damaged (failed its integrity check",
            check=unchanged(folder),
        )
    for name, codes, damage in (  # cannot be opened (1), or opened and read past the bad pages (3)
        ("half of it cut off", (1,), lambda data: data[: len(data) // 2]),
        ("page size broken", (1,), lambda data: data[:16] + b"\x00\x03" + data[18:]),
        (
            "two pages of 0xff",
            (3,),
            lambda data: b"".join(
                data[n : n + 4096]
                if n // 4096 not in (len(data) // 12288, len(data) // 6144)
                else data[n : n + 8] + b"\xff" * 4088
                for n in range(0, len(data), 4096)
            ),
        ),
    ):
        folder = store(name.replace(" ", "-"))
        path = Path(folder) / "desk.sqlite3"
        path.write_bytes(damage(path.read_bytes()))
        add(f"desk: {name}", "notes", "--data-dir", folder, codes=codes, says="damaged", check=unchanged(folder))
    folder = corrupted("corrupt-export")
    add(
        "desk: page overwritten: export",
        "export",
        seeds,
        "--format",
        "md",
        "--data-dir",
        folder,
        codes=(3,),  # done, but some of the desk's marks could not be read (as notes says)
        check=unchanged(folder),
    )
    add(
        "desk: version 1, no tables",
        "notes",
        "--data-dir",
        store("notables", "DROP TABLE marks", "DROP TABLE positions", "DROP TABLE stories"),
        says="made afresh",
    )
    add("desk: marks table dropped", "notes", "--data-dir", store("nomarks", "DROP TABLE marks"), says="was missing")
    for version in (-1, 0, -2147483648):
        folder = store(f"version{version}", f"PRAGMA user_version = {version}")
        add(
            f"desk: version {version}",
            "notes",
            "--data-dir",
            folder,
            codes=(3,),
            says=f"unknown store version {version}",
            check=unchanged(folder),
        )
    folder = store("version-big", "PRAGMA user_version = 2147483647")
    add(
        "desk: version 2147483647",
        "notes",
        "--data-dir",
        folder,
        codes=(1,),
        says="newer Broadsheet",
        check=unchanged(folder),
    )
    folder = store("nocolumn", "ALTER TABLE marks DROP COLUMN note")
    add("desk: a column dropped", "notes", "--json", "--data-dir", folder, codes=(3,), says="no note column")
    folder = store(
        "nokey", "CREATE TABLE copy AS SELECT * FROM marks", "DROP TABLE marks", "ALTER TABLE copy RENAME TO marks"
    )
    add("desk: no unique key", "notes", "--data-dir", folder, codes=(3,), says="no unique key")
    odd = (
        "PRAGMA ignore_check_constraints = ON",
        "UPDATE marks SET sentence_text = X'00ff1b5d' WHERE id = 1",
        "UPDATE marks SET note = X'c3', outlet = CAST(X'ff1b' AS TEXT), bookmark = 'x' WHERE id = 2",
        "UPDATE marks SET status = 5, scope = X'00', date = 1e999, url = -1 WHERE id = 3",
        "UPDATE stories SET title = X'ff', sources = '[[[[', updated = 5",
    )
    for args in (("notes",), ("notes", "--json"), ("notes", seeds), ("export", seeds, "--format", "json")):
        add(
            f"desk: odd values: {named(args)}",
            *args,
            "--data-dir",
            store(f"odd{len(out)}", *odd),
            says="against its rules" if args[0] == "notes" else "",
        )
    add(
        "desk: not SQLite",
        "notes",
        "--data-dir",
        str(tmp / "text"),
        says="moved aside",
        prepare=lambda: (tmp / "text").mkdir() or (tmp / "text" / "desk.sqlite3").write_bytes(b"not a store" * 99),
    )
    foreign = tmp / "foreign"
    foreign.mkdir()
    sqlite3.connect(foreign / "desk.sqlite3").execute("CREATE TABLE customers (name TEXT)").connection.commit()
    add("desk: another program's", "notes", "--data-dir", str(foreign), says="another program's tables")
    (tmp / "isdir" / "desk.sqlite3").mkdir(parents=True)
    add("desk: a folder", "notes", "--data-dir", str(tmp / "isdir"), codes=(1,), says="not a regular file")
    (tmp / "fifo").mkdir()
    os.mkfifo(tmp / "fifo" / "desk.sqlite3")
    add("desk: a FIFO", "notes", "--data-dir", str(tmp / "fifo"), codes=(1,), says="not a regular file")
    (tmp / "zero").mkdir()
    (tmp / "zero" / "desk.sqlite3").symlink_to("/dev/zero")
    add("desk: a link to /dev/zero", "notes", "--data-dir", str(tmp / "zero"), codes=(1,), says="not a regular file")
    (tmp / "afile").write_text("x")
    add(
        "desk: --data-dir is a file",
        "notes",
        "--data-dir",
        str(tmp / "afile" / "desk"),
        codes=(1,),
        says="cannot make the data folder",
    )
    (tmp / f"evil{EVIL}").write_text("x")
    add(
        "desk: --data-dir with ESC",
        "notes",
        "--data-dir",
        str(tmp / f"evil{EVIL}" / "desk"),
        codes=(1,),
        says="cannot make the data folder",
    )
    modes = {
        "read-only folder": (0o555, 0o644, (0,), "read-only (the folder cannot be written)"),
        "read-only file": (0o755, 0o444, (0,), "read-only (the file cannot be written)"),
        "folder mode 000": (0o000, 0o644, (1,), "permission denied: the data folder cannot be read"),
        "file mode 000": (0o755, 0o000, (1,), "permission denied: the store cannot be read"),
        "empty read-only folder": (0o555, None, (1,), "no store can be made there"),
    }
    for name, (folder_mode, file_mode, codes, says) in modes.items():
        folder = Path(store(name.replace(" ", "-")))
        if file_mode is None:
            (folder / "desk.sqlite3").unlink()
        else:
            (folder / "desk.sqlite3").chmod(file_mode)
        folder.chmod(folder_mode)

        def restore(folder=folder) -> None:
            folder.chmod(0o755)
            for path in folder.iterdir():
                path.chmod(0o644)

        add(
            f"desk: {name}",
            "notes",
            "--data-dir",
            str(folder),
            codes=codes,
            says=says,
            as_user=True,
            check=lambda restore=restore: restore(),
        )
    # 15: control sequences and markup in every text column
    key, article = story_key(story), article_key(story.articles[0])
    evil = EVIL.replace("'", "''")
    statements = (
        f"UPDATE marks SET note = 'n {evil}', outlet = '{evil}', date = '{evil}', url = '{evil}', "
        f"created = '{evil}', updated = '{evil}' WHERE id < 4",
        f"UPDATE marks SET sentence_text = 'S {evil}.' WHERE id = 4",
        f"INSERT INTO stories (id, title, updated) VALUES ('o{evil}', 'T {evil}', 'x')",
        f"INSERT INTO marks (story, article, sentence_text, note, created, updated) "
        f"VALUES ('o{evil}', 'a{evil}', 'S {evil}.', 'n {evil}', 'x', 'y')",
        f"UPDATE stories SET title = 'T {evil}' WHERE id = '{key}'",
        f"UPDATE marks SET article = '{article}{evil}' WHERE id = 5",
    )
    for args in (
        ("notes",),
        ("notes", "--json"),
        ("notes", "--format", "md"),
        ("notes", seeds),
        ("export", seeds, "--format", "md"),
        ("export", seeds, "--format", "json"),
        ("export", seeds),
    ):
        add(f"desk: ESC everywhere: {named(args)}", *args, "--data-dir", store(f"evil{len(out)}", *statements))
    return out


def tour_desk(tmp: Path) -> tuple[int, int]:
    """Runs desk_kinds; (kinds, kinds with problems). As root, which file modes do not stop, the
    kinds about modes run with the capabilities that ignore them dropped (capsh), else are skipped."""
    import shlex
    import shutil

    tmp.mkdir()
    cases = desk_kinds(tmp)
    capsh = shutil.which("capsh") if os.geteuid() == 0 else None
    problems = 0
    for name, args, prepare, codes, says, check, as_user in cases:
        command = CLI + args
        if as_user and os.geteuid() == 0:
            if capsh is None:
                print(f"{name:34s} skipped: root ignores file modes and capsh is not there")
                check and check()
                continue
            command = [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", shlex.join(command)]
        if prepare:
            prepare()
        started = time.perf_counter()
        try:
            run = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, cwd=ROOT)
            code, out, err = (
                run.returncode,
                run.stdout.decode("utf-8", "replace"),
                run.stderr.decode("utf-8", "replace"),
            )
        except subprocess.TimeoutExpired:
            code, out, err = "-", "", ""
        seconds = time.perf_counter() - started
        found = check() if check else None
        flags = flags_of(
            code,
            out,
            err,
            codes,
            (f"NOT SAID: {says}", says not in err),
            ("NOT ONE LINE", code in (1, 2) and len(err.strip().splitlines()) != 1),
            (f"CHECK: {found}", found),
        )
        problems += bool(flags)
        first = (err.strip().splitlines() or [""])[-1][:110]
        print(f"{name:34s} exit {code!s:3s} {seconds:6.2f} s  {' '.join(flags) or 'ok':12s} {first}", flush=True)
    return len(cases), problems


def main() -> None:
    problems = 0
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        cases = kinds(tmp)
        for name, args, stdin in cases:
            command = (
                args if args and args[0] in ("search", "align", "keys", "articles", "quotes") else ["articles", *args]
            )
            started = time.perf_counter()
            try:
                run = subprocess.run(
                    CLI + command, input=stdin if stdin is not None else b"", capture_output=True, timeout=60, cwd=ROOT
                )
                seconds = time.perf_counter() - started
                out, err = run.stdout.decode("utf-8", "replace"), run.stderr.decode("utf-8", "replace")
                flags = flags_of(run.returncode, out, err, (0, 1, 2, 3))
                first = (err.strip().splitlines() or [""])[0][:110]
                code = run.returncode
            except subprocess.TimeoutExpired:
                seconds, code, first, flags = 60.0, "-", "", ["HANG"]
            problems += bool(flags)
            print(f"{name:34s} exit {code!s:2s} {seconds:6.2f} s  {' '.join(flags) or 'ok':12s} {first}", flush=True)
        output_count, output_problems = tour_output(tmp / "output")  # its own folder: its checks look inside
        desk_count, desk_problems = tour_desk(tmp / "desk")
        web_count, web_problems = tour_web(tmp / "web")
        reading_count, reading_problems = tour_reading(tmp / "reading")
    problems += output_problems + desk_problems + web_problems + reading_problems
    print(f"\n{len(cases) + output_count + desk_count + web_count + reading_count} kinds, {problems} with problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
