"""Bytes to text the way a browser does it: byte-order mark, then the charset the server
or the page declares, then UTF-8, then detection (charset-normalizer, which httpx brings).

    decode_bytes(data, http_charset=None, html=False) -> str   or raises UndecodableError

Labels follow the WHATWG Encoding Standard where Python's codecs differ: ``iso-8859-1``,
``latin1`` and ``us-ascii`` mean windows-1252, and a page that declares UTF-16 without a
byte-order mark is read as UTF-8 (a declaration in ASCII cannot be UTF-16).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["UndecodableError", "decode_bytes", "declared_charset", "sniff_bom"]

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
                   "x-user-defined": "cp1252"}
# <meta charset=...> and <meta http-equiv="Content-Type" content="...; charset=...">, and the XML declaration.
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]{1,40})[\"']")
#: How far into a page the declared charset is looked for (browsers look at the first 1024 bytes).
PRESCAN_BYTES = 4096


class UndecodableError(ValueError):
    """No encoding reads the bytes as text; ``reason`` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the mark's length, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None for an unknown label."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares near its start (meta tag or XML declaration)."""
    head = data[:PRESCAN_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _try(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return None  # only a byte-order mark can make a document UTF-16/32 (see the module docstring)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        if codec == "cp1252":  # five bytes windows-1252 leaves undefined; browsers map them through
            return data.decode("latin-1")
        return None


def decode_bytes(data: bytes, http_charset: str | None = None, *, html: bool = False) -> str:
    """Decode ``data``: byte-order mark, HTTP charset, the document's declared charset (``html``),
    UTF-8, then charset detection. Raises ``UndecodableError`` for bytes that are no text.

    NUL bytes outside a UTF-16/32 text mean a binary file: those are refused, not guessed at.
    """
    bom = sniff_bom(data)
    if bom is not None:
        encoding, skip = bom
        try:
            return data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"not valid {encoding.upper()} text after its byte-order mark "
                                   f"(byte offset {exc.start + skip})") from None
    if b"\x00" in data:
        raise UndecodableError("binary file (contains NUL bytes), not article text")
    for label in (http_charset, declared_charset(data) if html else None):
        text = _try(data, _codec(label))
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    import charset_normalizer

    results = charset_normalizer.from_bytes(data[:1_000_000])
    best = results.best()
    if best is not None and best.encoding:
        label = best.encoding
        # Among equally clean readings, windows-1252: the browsers' default for unlabelled
        # pages in English, the language storyline reads.
        if any("cp1252" in m.could_be_from_charset for m in results if m.chaos <= best.chaos + 0.01):
            label = "cp1252"
        text = _try(data, _codec(label))
        if text is not None:
            return text
    raise UndecodableError(f"not text in UTF-8 or any encoding storyline can detect (byte 0x{data[first_bad]:02x} "
                           f"at offset {first_bad}); convert the file to UTF-8")
