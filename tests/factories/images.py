from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo(
    name: str = "anh.jpg", size: tuple[int, int] = (640, 480), gps: bool = False
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (120, 30, 30))
    buffer = BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 11.0, 0.0)}
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
