"""Bytes -> str for the charsets that real mail declares, including the wrong ones.

Mail clients label text with charsets that are too narrow (GB2312 for GBK data, ISO-2022-JP
for Microsoft's CP50220 with NEC/IBM extensions, or even for plain Shift_JIS), with names
Python does not know (``iso-gb2312``, ``unicode-1-1-utf-7``), or not at all (raw 8-bit headers).
``decode`` never raises: it tries the declared charset, then its known supersets, then UTF-8,
then CP1252, and finally Latin-1, which maps every byte.
"""

from __future__ import annotations

import binascii
import codecs
import re

# Labels seen in the wild -> the Python codec that decodes what those senders actually wrote.
# Supersets are chosen on purpose: GB2312 mail is routinely GBK/GB18030, Korean EUC-KR is
# routinely CP949, Big5 is routinely Big5-HKSCS/CP950, and "iso-8859-1" is routinely CP1252.
_ALIASES = {
    "gb2312": "gb18030",
    "iso-gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gb2312-80": "gb18030",
    "csgb2312": "gb18030",
    "x-gbk": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "chinese": "gb18030",
    "unicode-1-1-utf-7": "utf-7",
    "x-unicode-1-1-utf-7": "utf-7",
    "unicode-2-0-utf-7": "utf-7",
    "utf7": "utf-7",
    "unicode-1-1-utf-8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "utf8": "utf-8",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "x-user-defined": "cp1252",
    "default": "utf-8",
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "8bit": "utf-8",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "macintosh": "mac_roman",
}

_JIS_LABELS = {"iso-2022-jp", "iso2022jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2",
               "iso-2022-jp-3", "iso-2022-jp-2004", "iso-2022-jp-ext", "cp50220", "cp50221",
               "cp50222"}


def normalise_label(label: str | None) -> str:
    """``' "UTF-8" '`` -> ``'utf-8'``; RFC 2231 language suffixes (``utf-8*en``) dropped."""
    if not label:
        return ""
    label = label.strip().strip("\"'").strip().lower()
    return label.split("*", 1)[0]


def codec_for(label: str | None) -> str | None:
    """The Python codec name to try first for a declared charset, or None if unknown."""
    label = normalise_label(label)
    if not label:
        return None
    if label in _JIS_LABELS:
        return "iso-2022-jp-ms"   # handled by decode(); not a real codec name
    name = _ALIASES.get(label, label)
    found = _lookup(name)
    if found:
        return found
    # "windows1252", "cp-1252", "win-1251", "iso8859_15"...
    match = re.fullmatch(r"(?:windows|win|cp|x-cp|ms)[-_]?(\d{3,4})", label)
    if match:
        name = "cp" + match.group(1)
    else:
        match = re.fullmatch(r"iso[-_ ]?8859[-_ ]?(\d{1,2})(?:[:-].*)?", label)
        name = f"iso8859-{match.group(1)}" if match else ""
        if name == "iso8859-1":
            name = "cp1252"
    return _lookup(name) if name else None


def _lookup(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError, UnicodeError):  # unknown, NUL or surrogates in the label
        return None


# --- ISO-2022-JP as Microsoft writes it (CP50220/50221) -------------------------------------
_ESCAPE = re.compile(rb"\x1b(\$@|\$B|\$\(D|\(B|\(J|\(I|\$\(Q|\$\(O)")


def _jis_pair_to_sjis(high: int, low: int) -> bytes:
    # JIS X 0208 row/cell -> Shift_JIS lead/trail bytes (the textbook conversion).
    if high & 1:
        low += 0x1F if low < 0x60 else 0x20
    else:
        low += 0x7E
    high = ((high + 1) >> 1) + (0x70 if high <= 0x5E else 0xB0)
    return bytes((high, low))


def decode_iso2022jp_ms(data: bytes) -> str:
    """Decode ISO-2022-JP by re-encoding its JIS X 0208 runs as CP932.

    CP932 is a superset of JIS X 0208 with the NEC special characters (①, ㈱, Roman numerals)
    and IBM extensions that Outlook writes into "ISO-2022-JP" (that is CP50220). The stdlib's
    iso2022_jp codecs reject those; this conversion keeps them. Raises UnicodeDecodeError when
    the data is not ISO-2022-JP at all (8-bit bytes), so the caller can try Shift_JIS.
    """
    if any(b >= 0x80 for b in data):
        raise UnicodeDecodeError("iso-2022-jp", data, 0, 1, "8-bit byte in 7-bit ISO-2022-JP")
    out: list[str] = []
    mode = b"(B"
    position = 0
    for match in _ESCAPE.finditer(data):
        out.append(_decode_jis_run(data[position:match.start()], mode))
        mode = match.group(1)
        position = match.end()
    out.append(_decode_jis_run(data[position:], mode))
    return "".join(out)


def _decode_jis_run(run: bytes, mode: bytes) -> str:
    if not run:
        return ""
    if mode in (b"(B", b"(J"):
        return run.decode("ascii")
    if mode == b"(I":  # JIS X 0201 katakana: 7-bit form of half-width kana
        return bytes(b | 0x80 for b in run).decode("cp932")
    if mode in (b"$@", b"$B"):
        sjis = bytearray()
        index = 0
        while index < len(run):
            byte = run[index]
            if byte in (0x0A, 0x0D):  # a line break inside a 2-byte run: keep it
                sjis.append(byte)
                index += 1
                continue
            if index + 1 >= len(run):
                raise UnicodeDecodeError("iso-2022-jp", run, index, index + 1, "truncated pair")
            sjis += _jis_pair_to_sjis(byte, run[index + 1])
            index += 2
        return sjis.decode("cp932")
    # JIS X 0212 / 0213 planes: let the stdlib codec do it.
    return (b"\x1b" + mode + run + b"\x1b(B").decode("iso2022_jp_2004")


# --- the general decoder --------------------------------------------------------------------
def _candidates(label: str | None) -> list[str]:
    codec = codec_for(label)
    normalised = normalise_label(label)
    order: list[str] = []
    if codec == "iso-2022-jp-ms":
        order = ["iso-2022-jp-ms", "iso2022_jp_ext", "iso2022_jp_2004", "cp932", "euc_jis_2004"]
    elif codec:
        order = [codec]
        if codec in ("gb18030", "gbk", "gb2312"):
            order.append("big5hkscs")
        elif codec in ("cp932", "shift_jis", "euc_jp"):
            order += ["cp932", "euc_jis_2004", "iso-2022-jp-ms"]
        elif codec == "ascii":
            pass
        elif codec == "utf-7":
            pass
    elif normalised and ("gb" in normalised):
        order = ["gb18030"]
    elif normalised and ("jis" in normalised or "2022" in normalised):
        order = ["iso-2022-jp-ms", "cp932"]
    order += ["utf-8", "cp1252"]
    return list(dict.fromkeys(order))


def _try(data: bytes, codec: str) -> str:
    if codec == "iso-2022-jp-ms":
        return decode_iso2022jp_ms(data)
    return data.decode(codec)


def decode(data: bytes, label: str | None = None) -> str:
    """Decode bytes declared as ``label``; never raises. See the module docstring."""
    if not data:
        return ""
    candidates = _candidates(label)
    for codec in candidates:
        try:
            return _try(data, codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            if codec == "utf-8" and _mostly_utf8(data):
                # A few broken sequences in otherwise valid UTF-8 (a Latin-1 signature pasted
                # into UTF-8 text, a byte mangled by a relay): keep the UTF-8 and read only the
                # broken bytes as CP1252.
                return data.decode("utf-8", _BYTEWISE_CP1252)
            continue
    return data.decode("latin-1")


def _bytewise_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    chunk = error.object[error.start:error.end]
    return chunk.decode("cp1252", "replace").replace("\ufffd", "") or "\ufffd", error.end


_BYTEWISE_CP1252 = "postdesk-bytewise-cp1252"
codecs.register_error(_BYTEWISE_CP1252, _bytewise_cp1252)


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for char in text if ord(char) > 0x7F) - bad
    return bad <= max(2, len(text) // 500) and multibyte >= bad


def decode_guess(data: bytes, hints: tuple[str, ...] = ()) -> str:
    """Bytes with no declared charset (raw 8-bit headers, unlabelled parts); never raises.

    UTF-8 first (it almost never decodes non-UTF-8 text by accident), then the charsets the
    same message declares elsewhere, multi-byte ones before single-byte ones (a single-byte
    charset decodes anything, so it proves nothing), then CP1252, then Latin-1.
    """
    if not data:
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codecs_to_try: list[str] = []
    for hint in hints:
        codecs_to_try += [c for c in _candidates(hint) if c not in ("utf-8", "cp1252", "ascii")]
    ordered = sorted(dict.fromkeys(codecs_to_try), key=lambda c: not _is_multibyte(c))
    for codec in ordered:
        try:
            return _try(data, codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
    return decode(data, "cp1252")


_MULTIBYTE = ("gb", "big5", "cp932", "cp949", "cp950", "euc", "jis", "2022", "shift", "utf",
              "hz", "johab")


def _is_multibyte(codec: str) -> bool:
    return any(marker in codec for marker in _MULTIBYTE)


# --- RFC 2047 encoded words, tolerant of what real mailers do ---------------------------------
# Lenient on purpose: encoded text may contain spaces or '?' -free garbage, the charset may carry
# an RFC 2231 language (=?utf-8*de?Q?...?=), and words may sit inside quoted strings or touch
# the surrounding text without whitespace.
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([BbQq])\?([^?]*?)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]*")


def _word_bytes(encoding: str, text: str) -> bytes:
    if encoding in "Bb":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
        if len(cleaned) % 4 == 1:  # a dangling character carries no whole byte
            cleaned = cleaned[:-1]
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return binascii.a2b_base64(cleaned)
        except (binascii.Error, ValueError):
            return b""
    text = text.replace("_", " ")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes((int(m.group(1), 16),)),
                  text.encode("utf-8", "surrogateescape"))


def _raw_bytes(segment: str) -> bytes:
    return segment.encode("utf-8", "surrogateescape")


def has_raw_8bit(value: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in value)


def decode_header(value: str | None, hints: tuple[str, ...] = ()) -> str:
    """A raw header value (as parsed from bytes: 8-bit bytes as surrogates) -> text.

    1. Unfold. 2. Decode encoded words; runs of adjacent words in the same charset are joined
    as bytes first, because mailers split multi-byte characters across words. 3. Decode raw
    8-bit text with ``decode_guess`` (UTF-8, then the message's other charsets, then CP1252).
    """
    if not value:
        return ""
    value = re.sub(r"\r?\n([ \t])", r"\1", value).replace("\r", "").replace("\n", " ")
    if "=?" not in value:
        return _decode_plain(value, hints)
    out: list[str] = []
    position = 0
    pending_charset: str | None = None
    pending = bytearray()

    def flush() -> None:
        nonlocal pending_charset
        if pending_charset is not None:
            out.append(decode(bytes(pending), pending_charset))
            pending.clear()
            pending_charset = None

    for match in _ENCODED_WORD.finditer(value):
        between = value[position:match.start()]
        if pending_charset is not None and _BETWEEN_WORDS.fullmatch(between):
            between = ""  # whitespace between two encoded words is not part of the text
        charset = normalise_label(match.group(1))
        data = _word_bytes(match.group(2), match.group(3))
        if between:
            flush()
            out.append(_decode_plain(between, hints))
        if pending_charset is not None and charset != pending_charset:
            flush()
        pending_charset = charset
        pending += data
        position = match.end()
    flush()
    out.append(_decode_plain(value[position:], hints))
    return "".join(out).replace("\t", " ")


def _decode_plain(segment: str, hints: tuple[str, ...]) -> str:
    if has_raw_8bit(segment):
        return decode_guess(_raw_bytes(segment), hints)
    return segment.replace("\t", " ")
