"""What a hostile tester typed, pasted or uploaded (issue 8, "Bad input"): each refusal names
the field in Vietnamese and saves nothing; nothing answers 500."""

import datetime
import io
import random
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from personnel.models import Staff

D = datetime.date


def edit(staff, section: str) -> str:
    return reverse("personnel:staff_edit", args=[staff.pk, section])


def section_data(client, staff, section: str, **changes) -> dict:
    """What the section's form would post back unchanged, with ``changes``."""
    form = client.get(edit(staff, section)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else str(value)) for key, value in data.items()}
    data.update(changes)
    return data


def field_errors(response, field: str) -> str:
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


# --- Text pasted from Word --------------------------------------------------------------------


def test_control_characters_pasted_from_word_are_not_saved(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    data = section_data(
        client,
        staff,
        "employment",
        position_title="Phó\vTrưởng\u00a0phòng\x00",
        main_duties="Dạy\vToán\r\nChủ nhiệm\x1b lớp 9A\t",
    )
    assert client.post(edit(staff, "employment"), data).status_code == 302
    staff.refresh_from_db()
    assert staff.position_title == "Phó Trưởng phòng"
    assert staff.main_duties == "Dạy\nToán\nChủ nhiệm lớp 9A"


def test_decomposed_vietnamese_is_stored_precomposed(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    data = section_data(client, staff, "residence", current_residence="Ha\u0300 No\u0302\u0323i")
    assert client.post(edit(staff, "residence"), data).status_code == 302
    assert Staff.objects.get(pk=staff.pk).current_residence == "Hà Nội"


# --- Photos -----------------------------------------------------------------------------------


def huge_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of the given size, built row by row without ever holding the
    image: 13,000 × 13,000 pixels take about 20 KB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )  # fmt: skip

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte and the row's bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def noise_png() -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("L", (100, 100), random.Random(8).randbytes(10_000)).save(buffer, "PNG")
    return buffer.getvalue()


def camera_jpeg(size=(4000, 3000), orientation=6) -> bytes:
    """A camera-like JPEG: landscape pixels, EXIF saying "turn it a quarter" and a GPS tag."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=70)
    return buffer.getvalue()


@pytest.fixture
def photo_upload(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = world.staff_in_a1
    client = client_for(world.clerk)

    def upload(content: bytes, name="anh.png", content_type="image/png"):
        response = client.post(
            reverse("personnel:staff_photo_edit", args=[staff.pk]),
            {"version": Staff.objects.get(pk=staff.pk).version,
             "photo": SimpleUploadedFile(name, content, content_type)},
            follow=True,
        )  # fmt: skip
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        return Staff.objects.get(pk=staff.pk), errors

    return upload


def test_a_tiny_png_of_huge_dimensions_is_refused_before_it_is_decoded(photo_upload):
    bomb = huge_png(13_000, 13_000)
    assert len(bomb) < 40_000
    staff, errors = photo_upload(bomb)
    assert not staff.photo
    assert errors == ["Ảnh: Ảnh có quá nhiều điểm ảnh: tối đa 40 triệu, và 10.000 mỗi chiều."]


@pytest.mark.parametrize("size", [(10_001, 8), (8, 10_001), (8_000, 5_001)])
def test_images_over_the_pixel_limits_are_refused(photo_upload, size):
    staff, errors = photo_upload(huge_png(*size))
    assert not staff.photo and "quá nhiều điểm ảnh" in errors[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 100, "JPEG hoặc PNG"),
        (b"not an image", "JPEG hoặc PNG"),
        (noise_png()[:3000], "JPEG hoặc PNG"),  # cut off in the middle
        (b"\x00" * (2 * 1024 * 1024 + 1), "2 MB"),
    ],
)
def test_files_that_are_not_usable_photos_are_refused(photo_upload, content, message):
    staff, errors = photo_upload(content)
    assert not staff.photo and errors[0].startswith("Ảnh:") and message in errors[0], errors


def test_a_gif_is_refused_even_when_it_is_a_real_image(photo_upload):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80)).save(buffer, "GIF")
    staff, errors = photo_upload(buffer.getvalue(), "anh.gif", "image/gif")
    assert not staff.photo and "JPEG hoặc PNG" in errors[0]


def test_a_camera_photo_is_stored_small_upright_and_without_its_exif(photo_upload):
    original = camera_jpeg()
    staff, errors = photo_upload(original, "IMG_0001.JPG", "image/jpeg")
    assert errors == []
    with staff.photo.open("rb") as file:
        stored = file.read()
    assert staff.photo.name.startswith("photos/photo") and staff.photo.name.endswith(".jpg")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 800)  # turned upright, then made small
        assert not image.getexif() and "exif" not in image.info
        top, bottom = image.getpixel((300, 20)), image.getpixel((300, 780))
    assert top[2] > 150 and bottom[0] > 150  # the blue half went to the top
    assert b"PhoneMaker" not in stored and len(stored) < len(original)


def test_a_transparent_png_is_stored_on_white(photo_upload):
    image = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 150, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    staff, errors = photo_upload(buffer.getvalue())
    assert errors == []
    with staff.photo.open("rb") as file, Image.open(file) as stored:
        assert stored.size == (300, 400)
        assert stored.getpixel((250, 200)) >= (250, 250, 250)
        assert stored.getpixel((50, 200))[1] > 100
