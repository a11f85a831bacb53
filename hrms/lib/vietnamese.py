"""Vietnamese text: NFC normalisation, accent folding for search and dictionary-order sort keys.

Sorting follows the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x
y), letters first and tone marks only as a tie-break, in the dictionary order of tones
(ngang, huyền, hỏi, ngã, sắc, nặng). A person list is ordered by given name (tên), then by the
whole name, as Vietnamese staff lists are.

The same tables drive both the Python ``collation_key`` and the SQL expression stored in the
database (``sort_key_sql``), so that ``ORDER BY sort_key`` in PostgreSQL under any collation
agrees with Python.
"""

import unicodedata

# Base letters in Vietnamese dictionary order (foreign letters f j w z in their Latin places).
ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Tone marks as combining characters, in dictionary order (index 0 = no mark).
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
# Sortable ASCII codes for the letters above (33 letters → 0-9, A-W).
_CODES = "0123456789ABCDEFGHIJKLMNOPQRSTUVW"


def nfc(text: str) -> str:
    """Unicode NFC: precomposed letters, the form stored and compared everywhere."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Lower-case, accent-free text for search: "Nguyễn Đức" → "nguyen duc"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _letter_variants():
    """Yield (precomposed letter, primary code, tone digit) for every Vietnamese letter form."""
    for index, base in enumerate(ALPHABET):
        for tone_index, mark in enumerate(TONES):
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) != 1:
                continue
            yield composed, _CODES[index], str(tone_index)
            if composed.upper() != composed:
                yield composed.upper(), _CODES[index], str(tone_index)


_PRIMARY = {}
_TONE = {}
for _form, _code, _tone in _letter_variants():
    _PRIMARY[_form] = _code
    _TONE[_form] = _tone


def _primary(text: str) -> str:
    return "".join(_PRIMARY.get(ch, "") for ch in nfc(text) if ch in _PRIMARY)


def _tones(text: str) -> str:
    return "".join(_TONE[ch] for ch in nfc(text) if ch in _TONE)


def given_name(full_name: str) -> str:
    """The given name (tên): the last word of a Vietnamese full name."""
    words = nfc(full_name).split()
    return words[-1] if words else ""


def collation_key(full_name: str) -> str:
    """Sort key: given name, then whole name, by letters; then tones as tie-break."""
    name = " ".join(nfc(full_name).split())
    given = given_name(name)
    return f"{_primary(given)} {_primary(name)} {_tones(given)}{_tones(name)}"


def translate_tables() -> tuple[str, str, str]:
    """(source letters, primary codes, tone digits) for SQL ``translate()``.

    Characters that are not Vietnamese letters are removed by the caller's second translate.
    """
    letters = "".join(_PRIMARY)
    return letters, "".join(_PRIMARY[c] for c in letters), "".join(_TONE[c] for c in letters)
