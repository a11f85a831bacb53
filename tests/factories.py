"""factory-boy factories for the personnel tables."""

import datetime
import io

import factory
from django.contrib.auth.models import User

from personnel.models import OrgUnit, Staff


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """Units are created through treebeard (root or child of ``parent``)."""

    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Phòng số {n}")
    level = OrgUnit.Level.PROVINCE
    kind = OrgUnit.Kind.DEPARTMENT
    valid_from = datetime.date(2000, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        unit = model_class(**kwargs)
        if parent is None:
            return model_class.objects.add_root(instance=unit)
        parent.refresh_from_db()
        return model_class.objects.add_child(parent, instance=unit)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    staff_number = factory.Sequence(lambda n: f"T{n:06d}")
    full_name = factory.Iterator(
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Đỗ Minh Đức"]
    )
    sex = Staff.Sex.MALE
    birth_date = "1985-05-17"
    personal_id = factory.Sequence(lambda n: f"037085{n:06d}")
    unit = None
    category = Staff.Category.CIVIL_SERVANT
    status = Staff.Status.ACTIVE


def png_bytes(size=(60, 80)) -> bytes:
    """A real (tiny) PNG image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()
