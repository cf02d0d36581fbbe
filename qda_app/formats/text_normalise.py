"""Decoding bytes to text and the one normalisation every stored document text goes through.

Offsets of turns and codings index the normalised text, so normalising exactly once (and
idempotently) is what keeps them valid across re-imports and exports.
"""

import codecs
import re
import unicodedata

from qda_app.formats.errors import UnreadableFileError

# Western code pages only: charset-normalizer guesses Central European or Japanese code pages
# for short German texts, which turns umlauts into wrong letters.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Line and paragraph separators that word processors and PDFs use instead of "\n".
_NEWLINE_LIKE = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+(?=\n)")
# Substring tests are nearly free, a regex pass over a 30 KB transcript is not (0.3-0.4 ms):
# most texts need neither substitution, so look before substituting.
_NEWLINE_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TRAILING_MARKS = (" \n", "\t\n", "\u00a0\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _join_surrogates(text: str) -> str:
    """Turn UTF-16 surrogate pairs into their character and lone halves into U+FFFD.

    RTF (`\\u-10179?\\u-8704?` for an emoji) and some PDFs spell characters beyond U+FFFF as
    two UTF-16 halves; left alone they cannot be stored or written as UTF-8, and one character
    counting as two would shift every offset after it.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def normalise_text(text: str) -> str:
    """Return the canonical form: NFC, `\\n` line ends, no BOM, controls or lone surrogates.

    Trailing blanks on lines and blank lines at both ends go too, because they are invisible
    in the viewer and would only make spans differ between otherwise equal imports.
    """
    text = _join_surrogates(text)
    if any(char in text for char in _NEWLINE_CHARS):
        text = _NEWLINE_LIKE.sub("\n", text)
    text = _CONTROL.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(mark in text for mark in _TRAILING_MARKS):
        text = _TRAILING_SPACE.sub("", text)
    return text.rstrip(" \t\u00a0\n").lstrip("\n")


def _looks_like_utf16(data: bytes) -> str | None:
    """Spot BOM-less UTF-16 by its zero bytes, which mostly sit at one parity for Latin text."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > half * 0.3 and even_zeros < half * 0.05:
        return "utf-16-le"
    if even_zeros > half * 0.3 and odd_zeros < half * 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, source_name: str = "") -> str:
    """Decode text of unknown encoding: BOMs first, then strict UTF-8, then Western legacy pages.

    Strict UTF-8 comes before any guessing because it practically never succeeds by accident
    on legacy text, and it is the fast path for the large majority of files.
    """
    if not data.strip():
        raise UnreadableFileError(source_name, "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFileError(
                    source_name, f"the file starts like {encoding} text but is damaged"
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _looks_like_utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise UnreadableFileError(source_name, "this is a binary file, not text")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise UnreadableFileError(source_name, "the text encoding could not be recognised")
    return str(best)
