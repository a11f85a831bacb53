"""Loading reference data (fixtures/*.csv) into effective-dated tables, idempotently.

Each CSV has a header naming model fields (a list field is written "a;b;c"); the ``key``
columns identify a row, so loading the same file twice changes nothing, and an edited file
updates the rows it names. Rows an administrator added in the admin are left alone.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models, transaction


@dataclass(frozen=True)
class ReferenceFile:
    model: str  # "app_label.ModelName"
    path: str  # relative to the fixtures directory
    key: tuple[str, ...] = ("code",)


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _convert(model, column: str, raw: str):
    field = model._meta.get_field(column)
    if field.is_relation:
        related = field.related_model
        return related.objects.get(code=raw) if raw else None
    if isinstance(field, ArrayField):  # "a;b;c", empty for none
        return [field.base_field.to_python(item.strip()) for item in raw.split(";") if item.strip()]
    if isinstance(field, models.BooleanField):
        if raw not in ("True", "False"):
            raise ValidationError(f"{column}: expected True or False, got {raw!r}")
        return raw == "True"
    if raw == "" and field.null:
        return None
    return field.to_python(raw)


@transaction.atomic
def load_reference_file(spec: ReferenceFile, fixtures_dir: Path) -> LoadResult:
    """Create or update the rows of one CSV file; all or nothing."""
    model = apps.get_model(spec.model)
    result = LoadResult()
    with open(fixtures_dir / spec.path, encoding="utf-8-sig", newline="") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                values = {
                    column: _convert(model, column, raw.strip()) for column, raw in row.items()
                }
            except (ValidationError, model.DoesNotExist, LookupError) as error:
                raise ValidationError(f"{spec.path}:{line_number}: {error}") from error
            lookup = {column: values.pop(column) for column in spec.key}
            instance = model.objects.filter(**lookup).first()
            if instance is None:
                instance = model(**lookup, **values)
                instance.full_clean()
                instance.save()
                result.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(instance, name) != value]
            if changed:
                for name in changed:
                    setattr(instance, name, values[name])
                instance.full_clean()
                instance.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
    return result
