"""The layout of the monthly change list (D02-LT) as data: heading lines, columns and sections.

The 2026 revision of the forms is unconfirmed (docs/rules.md §5.8), so the layout is a template
an administrator adjusts (*Administration → Insurance → Report templates*): titles, the order and
width of the columns, which columns appear, the section headings. Column keys and placeholders
come from the fixed vocabularies below; anything else is refused with a message naming it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

# key → what the exporter fills in (the title is the template's)
COLUMNS = {
    "no": "row number within the section",
    "full_name": "full name",
    "social_insurance_number": "social-insurance number",
    "personal_id": "personal ID number",
    "birth_date": "date of birth",
    "sex": "sex",
    "position": "rank, position and workplace",
    "salary": "contribution salary (amount)",
    "coefficient": "salary coefficient",
    "leadership": "leadership allowance coefficient",
    "beyond_scale": "beyond-scale seniority percent",
    "seniority": "professional seniority percent",
    "other_allowances": "other allowances in the base (coefficient)",
    "from_month": "from month",
    "to_month": "to month",
    "employee": "employee share (back contributions)",
    "employer": "employer share (back contributions)",
    "note": "note: the reason, and any problem with the row",
}
NUMERIC = frozenset({"salary", "employee", "employer"})
KINDS = ("join", "raise", "stop", "cut", "back")
PLACEHOLDERS = frozenset({"unit_name", "insurance_code", "address", "office", "month", "year"})

DEFAULT_LAYOUT: dict[str, Any] = {
    "form": "Mẫu D02-LT",
    "title": "DANH SÁCH LAO ĐỘNG THAM GIA BHXH, BHYT, BHTN, BHTNLĐ-BNN",
    "header": [
        "Tên đơn vị: {unit_name}",
        "Mã đơn vị: {insurance_code}",
        "Địa chỉ: {address}",
        "Cơ quan BHXH: {office}",
        "Tháng {month}/{year}",
    ],
    "columns": [
        {"key": "no", "title": "STT", "width": 5},
        {"key": "full_name", "title": "Họ và tên", "width": 26},
        {"key": "social_insurance_number", "title": "Mã số BHXH", "width": 13},
        {"key": "personal_id", "title": "Số CCCD", "width": 14},
        {"key": "position", "title": "Cấp bậc, chức vụ, chức danh nghề, điều kiện, nơi làm việc",
         "width": 30},
        {"key": "coefficient", "title": "Hệ số / mức lương", "width": 10},
        {"key": "leadership", "title": "Phụ cấp chức vụ", "width": 9},
        {"key": "beyond_scale", "title": "Phụ cấp TNVK (%)", "width": 9},
        {"key": "seniority", "title": "Phụ cấp TNN (%)", "width": 9},
        {"key": "other_allowances", "title": "Phụ cấp khác", "width": 9},
        {"key": "salary", "title": "Tiền lương đóng", "width": 14},
        {"key": "from_month", "title": "Từ tháng, năm", "width": 9},
        {"key": "to_month", "title": "Đến tháng, năm", "width": 9},
        {"key": "employee", "title": "Truy đóng: người lao động", "width": 12},
        {"key": "employer", "title": "Truy đóng: đơn vị", "width": 12},
        {"key": "note", "title": "Ghi chú", "width": 36},
    ],
    "sections": [
        {"title": "I. TĂNG", "parts": [
            {"kind": "join", "title": "1. Lao động tham gia mới"},
            {"kind": "raise", "title": "2. Điều chỉnh tăng mức đóng"},
        ]},
        {"title": "II. GIẢM", "parts": [
            {"kind": "stop", "title": "1. Lao động giảm"},
            {"kind": "cut", "title": "2. Điều chỉnh giảm mức đóng"},
        ]},
        {"title": "III. TRUY ĐÓNG THEO QUYẾT ĐỊNH CÓ HIỆU LỰC TRỞ VỀ TRƯỚC", "parts": [
            {"kind": "back", "title": "Truy đóng từng tháng"},
        ]},
    ],
    "total_title": "Cộng",
    "missing_identifier": "THIẾU MÃ SỐ BHXH VÀ SỐ CCCD",
}  # fmt: skip


def layout_errors(layout: Any) -> list[str]:
    """What is wrong with a layout, each message naming the item; empty when it is usable."""
    if not isinstance(layout, Mapping):
        return [_("The layout must be an object with “title”, “header”, “columns”, “sections”.")]
    errors: list[str] = []
    for key in ("form", "title", "total_title", "missing_identifier"):
        if not isinstance(layout.get(key, ""), str):
            errors.append(_("“%(item)s” must be text.") % {"item": key})
    header = layout.get("header", [])
    if not isinstance(header, list) or not all(isinstance(line, str) for line in header):
        errors.append(_("“header” must be a list of lines of text."))
    else:
        for line in [layout.get("title", "")] + header:
            errors.extend(_placeholder_errors(line))
    columns = layout.get("columns")
    if not isinstance(columns, list) or not columns:
        errors.append(_("“columns” must be a non-empty list."))
    else:
        seen = set()
        for number, column in enumerate(columns, start=1):
            if not isinstance(column, Mapping) or column.get("key") not in COLUMNS:
                errors.append(
                    _("Column %(number)s: the key must be one of %(keys)s.")
                    % {"number": number, "keys": ", ".join(COLUMNS)}
                )
                continue
            if column["key"] in seen:
                errors.append(
                    _("Column %(number)s: “%(key)s” appears twice.")
                    % {"number": number, "key": column["key"]}
                )
            seen.add(column["key"])
            if not isinstance(column.get("title", ""), str):
                errors.append(_("Column %(number)s: the title must be text.") % {"number": number})
            width = column.get("width", 10)
            if not isinstance(width, int) or not 2 <= width <= 80:
                errors.append(
                    _("Column %(number)s: the width must be a whole number from 2 to 80.")
                    % {"number": number}
                )
    sections = layout.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.append(_("“sections” must be a non-empty list."))
        return errors
    placed: list[str] = []
    for number, section in enumerate(sections, start=1):
        parts = section.get("parts") if isinstance(section, Mapping) else None
        if not isinstance(parts, list) or not parts:
            errors.append(_("Section %(number)s needs a list of “parts”.") % {"number": number})
            continue
        for part in parts:
            kind = part.get("kind") if isinstance(part, Mapping) else None
            if kind not in KINDS:
                errors.append(
                    _("Section %(number)s: a part's kind must be one of %(kinds)s.")
                    % {"number": number, "kinds": ", ".join(KINDS)}
                )
            else:
                placed.append(kind)
    missing = [kind for kind in KINDS if kind not in placed]
    if missing:
        errors.append(
            _("Every kind of row needs a place in the sections; missing: %(kinds)s.")
            % {"kinds": ", ".join(missing)}
        )
    twice = sorted({kind for kind in placed if placed.count(kind) > 1})
    if twice:
        errors.append(
            _("A kind of row may appear in one place only: %(kinds)s.")
            % {"kinds": ", ".join(twice)}
        )
    return errors


def _placeholder_errors(line: str) -> list[str]:
    try:
        fields = [(name, spec, conv) for _t, name, spec, conv in string.Formatter().parse(line)
                  if name is not None]  # fmt: skip
    except ValueError:
        return [_("“%(line)s”: unbalanced braces.") % {"line": line}]
    names = [name for name, spec, conv in fields if not spec and not conv]
    if len(names) != len(fields) or "" in names:
        return [_("“%(line)s”: write placeholders as {name}, nothing else.") % {"line": line}]
    return [
        _("“%(line)s”: unknown placeholder {%(name)s}; use %(names)s.")
        % {"line": line, "name": name, "names": ", ".join(sorted(PLACEHOLDERS))}
        for name in names
        if name not in PLACEHOLDERS
    ]


def fill(line: str, values: Mapping[str, str]) -> str:
    """A heading line with its placeholders filled in (the layout was checked first)."""
    return line.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
