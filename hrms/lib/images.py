"""Uploaded images made small and harmless before they are stored.

A small file can hold a huge image (a 20 KB PNG of 13,000 × 13,000 pixels decodes to 1.6 GB), so
the pixel dimensions are read from the header and checked before anything is decoded, and
Pillow's own decompression-bomb guard is made an error rather than a warning. What is stored is
never the upload itself but a re-encoded JPEG that fits a small box: orientation applied,
transparency on white, EXIF (camera, GPS position) and every other metadata dropped.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_SIDE = 10_000  # pixels on either side of an upload
MAX_PIXELS = 40_000_000  # an upload's width × height (a 40-megapixel photo)
ACCEPTED_FORMATS = ("JPEG", "PNG")
JPEG_QUALITY = 85


def bounded_jpeg(upload, *, box: tuple[int, int], name: str = "image.jpg") -> SimpleUploadedFile:
    """``upload`` (a JPEG or PNG of at most 2 MB and 40 megapixels) re-encoded as a JPEG that
    fits ``box`` (width, height); raises ValidationError saying what is wrong."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."), code="file_too_large")
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise _not_an_image() from error
        with image:
            if image.format not in ACCEPTED_FORMATS:
                raise _not_an_image()
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise _too_many_pixels()
            try:
                image.draft("RGB", (box[0] * 2, box[1] * 2))  # JPEG: decode at a smaller scale
                image.load()
                image = ImageOps.exif_transpose(image)
                image = _flatten(image)
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
                raise _not_an_image() from error
    image.thumbnail(box, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no EXIF, no ICC profile
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white (JPEG has no alpha channel)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _not_an_image() -> ValidationError:
    return ValidationError(_("The file must be a JPEG or PNG image."), code="invalid_image")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The image has too many pixels: at most %(megapixels)s million, and %(side)s on "
            "either side."
        ),
        code="too_many_pixels",
        params={"megapixels": MAX_PIXELS // 1_000_000, "side": f"{MAX_SIDE:,}".replace(",", ".")},
    )
