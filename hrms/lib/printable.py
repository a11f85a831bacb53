"""Text as it may leave the system: characters no file format accepts are taken out.

Data already stored may hold control characters pasted from Word (U+000B is Word's manual line
break, U+000C its page break, U+0007 its cell marker…). XML 1.0 — and so XLSX — refuses them
(openpyxl raises ``IllegalCharacterError``), and in a PDF they print as empty boxes. Every
exporter passes text through ``printable()`` on the way out; what is stored is left as it is.
"""

import re

# Word's line and page breaks become line breaks; every other C0 control character except tab,
# line feed and carriage return, and the two non-characters U+FFFE/U+FFFF, are dropped.
_BREAKS = re.compile("[\x0b\x0c]")
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def printable(value: str) -> str:
    """``value`` without the characters a spreadsheet, CSV reader or PDF cannot show."""
    return _ILLEGAL.sub("", _BREAKS.sub("\n", value))
