"""Decoding bytes the way a browser does: byte-order mark, HTTP charset, declared charset, UTF-8, detection."""

from __future__ import annotations

import codecs

import pytest

from storyline.sources.decode import UndecodableError, declared_charset, decode_bytes

TEXT = "Ms Zoë Brûlé said the café would reopen on Friday, the council’s spokesman said."


@pytest.mark.parametrize(("data", "http", "html", "expected"), [
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), None, False, TEXT),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None, False, TEXT),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None, False, TEXT),
    (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), None, False, TEXT),
    (codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"), None, False, TEXT),
    # the mark wins over a wrong HTTP charset
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "iso-8859-1", True, TEXT),
    (TEXT.encode("utf-8"), None, False, TEXT),
    # declared in the page
    (f'<html><head><meta charset="windows-1252"><p>{TEXT}'.encode("cp1252"), None, True,
     f'<html><head><meta charset="windows-1252"><p>{TEXT}'),
    (f'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>{TEXT}'.encode("cp1252"), None,
     True, f'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>{TEXT}'),
    # the HTTP charset wins over the page's declaration
    (f'<meta charset="utf-8"><p>{TEXT}'.encode("cp1252"), "windows-1252", True, f'<meta charset="utf-8"><p>{TEXT}'),
    # a declaration of UTF-16 in an ASCII-compatible page is wrong: read as UTF-8
    (f'<meta charset="utf-16"><p>{TEXT}'.encode(), None, True, f'<meta charset="utf-16"><p>{TEXT}'),
    # a wrong declaration falls through to UTF-8
    (f'<meta charset="x-no-such-charset"><p>{TEXT}'.encode(), "no-such-charset", True,
     f'<meta charset="x-no-such-charset"><p>{TEXT}'),
    # no declaration, not UTF-8: detected
    ((TEXT.replace("’", "'") + " " + TEXT.replace("’", "'")).encode("latin-1"), None, False,
     TEXT.replace("’", "'") + " " + TEXT.replace("’", "'")),
])
def test_decode_bytes(data: bytes, http: str | None, html: bool, expected: str) -> None:
    assert decode_bytes(data, http, html=html) == expected


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "Ferry runs".encode("utf-16-le"),  # UTF-16 without a mark: NUL bytes, no mark to say so
    codecs.BOM_UTF16_LE + b"\x00\xd8",  # a lone surrogate after the mark
])
def test_binary_or_broken_is_refused(data: bytes) -> None:
    with pytest.raises(UndecodableError) as info:
        decode_bytes(data)
    assert len(info.value.reason) < 200


@pytest.mark.parametrize(("head", "expected"), [
    (b'<html><head><meta charset="ISO-8859-15">', "ISO-8859-15"),
    (b"<meta charset=utf-8>", "utf-8"),
    (b'<?xml version="1.0" encoding="windows-1251"?><rss>', "windows-1251"),
    (b'<html><head><meta name="viewport" content="width=device-width">', None),
    (b"<p>charset=latin1 is mentioned in prose</p>", None),
])
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected
