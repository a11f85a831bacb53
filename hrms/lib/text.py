"""Text typed or pasted into forms, made uniform and safe in one place.

Every form of the project reads what was submitted through ``NormalizedBoundField``: the form
renderer named in ``settings.FORM_RENDERER`` hands it to every form (ours, generated model
forms, formsets and the administration site alike), so a new form cannot forget it. Each
submitted text value passes through ``normalize_text`` before the field cleans and validates it:

- control characters (C0, DEL and C1, as pasted from Word: U+000B is its line break) never
  survive. In a multi-line field (a ``Textarea``) the line breaks — CR LF, CR, VT, FF, NEL,
  U+2028, U+2029 — become "\\n" and tabs are kept; every other control character is removed. In a
  single-line field every control character, line break or tab becomes a space;
- invisible characters that break exports, searches or the display are removed: zero-width
  space and no-break space (U+200B, U+FEFF), bidirectional overrides and isolates (U+202A–U+202E,
  U+2066–U+2069, which reverse how text is shown), the noncharacters U+FFFE and U+FFFF and lone
  surrogates;
- Unicode NFC: precomposed Vietnamese letters, the form stored and compared everywhere;
- any space separator (no-break space, thin space…) becomes a plain space; single-line values
  have runs of spaces collapsed to one, multi-line values lose the spaces at the ends of lines;
- leading and trailing whitespace is trimmed.

Passwords are never touched (they are compared byte for byte).
"""

import re
import unicodedata

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

_CONTROL = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_LINE_BREAKS = ["\r\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"]
_INVISIBLE = [0x200B, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE, 0xFFFF]
_SPACES = [0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]

_SINGLE_LINE = str.maketrans(
    {
        **dict.fromkeys([*_CONTROL, 0x2028, 0x2029], " "),
        **dict.fromkeys(_INVISIBLE),
        **dict.fromkeys(_SPACES, " "),
    }
)
_MULTI_LINE = str.maketrans(
    {
        **dict.fromkeys(code for code in _CONTROL if chr(code) not in "\n\t"),
        **dict.fromkeys(_INVISIBLE),
        **dict.fromkeys(_SPACES, " "),
    }
)
_LINE_BREAK = re.compile("|".join(re.escape(brk) for brk in _LINE_BREAKS))
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE_RUN = re.compile(" {2,}")
_LINE_END_SPACES = re.compile("[ \t]+\n")


def normalize_text(value: str, *, multiline: bool = False) -> str:
    """``value`` cleaned of control and invisible characters, NFC-normalised and trimmed
    (the rules are in the module's docstring)."""
    text = _SURROGATE.sub("", value)
    if multiline:
        text = _LINE_BREAK.sub("\n", text).translate(_MULTI_LINE)
        text = _LINE_END_SPACES.sub("\n", unicodedata.normalize("NFC", text))
    else:
        text = _SPACE_RUN.sub(" ", unicodedata.normalize("NFC", text.translate(_SINGLE_LINE)))
    return text.strip()


def is_multiline(field: forms.Field) -> bool:
    """Multi-line fields are those shown as a text area."""
    return isinstance(field.widget, forms.Textarea)


def normalizes(field: forms.Field) -> bool:
    """Whether the submitted value of ``field`` is normalised (everything but passwords)."""
    return not isinstance(field.widget, forms.PasswordInput)


class NormalizedBoundField(BoundField):
    """A bound field whose submitted data is normalised before cleaning, validation and
    redisplay."""

    @property
    def data(self):
        value = super().data
        if not normalizes(self.field):
            return value
        multiline = is_multiline(self.field)
        if isinstance(value, str):
            return normalize_text(value, multiline=multiline)
        if isinstance(value, list | tuple):
            return [
                normalize_text(item, multiline=multiline) if isinstance(item, str) else item
                for item in value
            ]
        return value


class FormRenderer(DjangoTemplates):
    """The project's form renderer (``settings.FORM_RENDERER``): Django's, with every submitted
    text value normalised."""

    bound_field_class = NormalizedBoundField
