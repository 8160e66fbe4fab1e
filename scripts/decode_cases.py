#!/usr/bin/env python
"""The decoding cases of issue 25 through ``storyline analyze`` and ``storyline ingest``: is each
article kept, and is its text the right text?

    python scripts/decode_cases.py [--commands analyze ingest]

Each case is a file written here (UTF-16 and UTF-32 with a byte-order mark, UTF-16 without
one, cp1252 and Latin-1 text, cp1252 HTML declaring its charset in ``<meta charset>`` or
``http-equiv``, HTML with control-character references such as ``&#12;``, ``&#x1;``,
``&#65535;``, ``&#0;``, a file name that is not UTF-8); all cases go in one folder and each
command runs once over it. A case passes when its article is in the report (analyze) or the
store (ingest) and its cleaned text holds the expected words, accents and punctuation
unchanged. Prints JSON: per case and command, found and right text, and the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SENTENCE = "Ms Zoë Brûlé said the café’s terrace would reopen on Friday, the council’s spokesman said."
EXPECT = "Zoë Brûlé said the café’s terrace"
LATIN = SENTENCE.replace("’", "'")
PARAS = ("The harbour council met on Tuesday to approve the repairs to the east pier and the ferry ramp.",
         "Engineers told the meeting that the work would take six weeks and cost more than planned.")


def _html(n: int, body_ref: str = "", head: str = '<meta charset="utf-8">', text: str = SENTENCE) -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html><head>{head}<title>Pier repairs</title></head><body><article><p>{text}</p>{paras}"
            f"<p>The clerk {body_ref} read minute {n} aloud to the meeting.</p></article></body></html>")


def cases() -> dict[bytes, tuple[bytes, str]]:
    """File name -> (bytes, words the cleaned text must hold). Each text differs (a minute number),
    so that the store, which keeps one copy of a text, keeps every case."""
    def text(n: int, sentence: str = SENTENCE) -> str:
        return f"{sentence} {PARAS[0]} The clerk read minute {n} aloud."

    latin_expect = "Zoë Brûlé said the café's terrace"
    out: dict[bytes, tuple[bytes, str]] = {
        b"utf16-bom.txt": (text(1).encode("utf-16"), EXPECT),
        b"utf16be-bom.txt": (b"\xfe\xff" + text(2).encode("utf-16-be"), EXPECT),
        b"utf32-bom.txt": (text(3).encode("utf-32"), EXPECT),
        b"utf8-bom.txt": (text(4).encode("utf-8-sig"), EXPECT),
        b"cp1252.txt": (text(5).encode("cp1252"), EXPECT),
        b"latin1.txt": (text(6, LATIN).encode("latin-1"), latin_expect),
        b"cp1252-meta.html": (_html(7, head='<meta charset="windows-1252">').encode("cp1252"), EXPECT),
        b"cp1252-http-equiv.html": (_html(8, head='<meta http-equiv="Content-Type" content="text/html; '
                                                   'charset=iso-8859-1">', text=LATIN).encode("cp1252"),
                                    latin_expect),
        "caf\u00e9-name-latin1.txt".encode("latin-1"): (text(9).encode("utf-8"), EXPECT),
    }
    for n, ref in enumerate(("&#12;", "&#x1;", "&#65535;", "&#0;", "&#xD800;"), start=10):
        name = "ref-" + ref.strip("&#;").lower() + ".html"
        out[name.encode()] = (_html(n, body_ref=ref).encode("utf-8"), EXPECT)
    return out


def _stem(name: bytes) -> str:
    # the id storyline gives a file: its stem, bytes that are not UTF-8 escaped
    return os.path.splitext(name.decode("utf-8", "backslashreplace"))[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commands", nargs="+", default=["analyze", "ingest"], choices=["analyze", "ingest"])
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env["STORYLINE_CONFIG"] = os.devnull
    table = cases()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name, (data, _) in table.items():
            with open(os.fsencode(folder) + b"/" + name, "wb") as fh:
                fh.write(data)
        for command in args.commands:
            texts: dict[str, str] = {}
            if command == "analyze":
                proc = subprocess.run([sys.executable, "-m", "storyline.cli", "analyze", str(folder), "--format",
                                       "json", "--quiet"], env=env, capture_output=True)
                report = json.loads(proc.stdout)
                texts = {a["id"]: a.get("text", "") for s in report["stories"] for a in s["articles"]}
            else:
                db = Path(tmp) / "store.db"
                proc = subprocess.run([sys.executable, "-m", "storyline.cli", "ingest", str(folder), "--db", str(db),
                                       "--quiet"], env=env, capture_output=True)
                from storyline.service.store import Store

                with Store(f"sqlite:///{db}") as store:
                    texts = {i: store.article(i).analysis.article.text for i in store.article_ids()}
            for name, (_, expected) in table.items():
                found = texts.get(_stem(name))
                results.setdefault(_stem(name), {})[command] = {
                    "found": found is not None, "right_text": found is not None and expected in found,
                    "control_characters": found is not None and any(ord(c) < 32 and c not in "\n\t" for c in found)}
            results.setdefault("_exit", {})[command] = {"exit": proc.returncode,
                                                        "stderr": proc.stderr.decode("utf-8", "replace")[-600:]}
    ok = {c: sum(bool(r[c]["right_text"]) for k, r in results.items() if k != "_exit")  # type: ignore[index]
          for c in args.commands}
    print(json.dumps({"cases": len(table), "right_text": ok, "results": results}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
