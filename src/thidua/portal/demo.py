"""Demo content of the seed campaign's public pages (called by thidua.demo.load, idempotent).

Photos are generated (no real people). Books: only entries whose bibliographic facts are
certain; media staff add the rest of the display from the library catalogue.
"""

from datetime import datetime, time, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from thidua.accounts.models import User
from thidua.campaigns.models import Campaign
from thidua.core.clock import today_local
from thidua.core.text import fold
from thidua.organizations.models import Unit
from thidua.participation import services as participation
from thidua.participation.models import GoodModel
from thidua.portal import services
from thidua.portal.models import Album, PortalSite, Section

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COLOURS = [(139, 26, 26), (30, 90, 140), (40, 120, 70), (160, 110, 20), (90, 60, 130)]
CENTRE = "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố"


def _at(year: int, month: int, day: int, hour: int = 8) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


def image(label: str, n: int, size: tuple[int, int] = (1200, 800)) -> SimpleUploadedFile:
    """A generated picture: coloured scene with a caption band (no real people)."""
    width, height = size
    im = Image.new("RGB", size, COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(im)
    draw.polygon(
        [(0, height * 0.7), (width * 0.35, height * 0.35), (width * 0.7, height * 0.7)],
        fill=(235, 225, 200),
    )
    draw.ellipse(
        (width * 0.7, height * 0.1, width * 0.85, height * 0.1 + width * 0.15), fill=(250, 210, 90)
    )
    draw.rectangle((0, height * 0.78, width, height), fill=(255, 255, 255))
    draw.text((30, height * 0.85), f"{fold(label)[:70]} #{n + 1}", fill=(0, 0, 0))
    buffer = BytesIO()
    im.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"anh-{n + 1}.jpg", buffer.getvalue(), content_type="image/jpeg")


ARTICLES = [  # (section index, title, summary, body, date)
    (
        0,
        "Phát động phong trào thi đua đặc biệt chào mừng 110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ",
        "UBND thành phố ban hành kế hoạch phát động phong trào thi đua đặc biệt từ tháng 5 đến hết tháng 12/2022.",
        "<p>Phong trào hướng tới kỷ niệm 110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ (9/7/1912 – 9/7/2022).</p>"
        "<p>Các hình thức: tọa đàm, nói chuyện chuyên đề, triển lãm ảnh, trưng bày sách và cuộc thi tìm hiểu.</p>",
        _at(2022, 5, 26, 9),
    ),
    (
        0,
        "Phường Đáp Cầu tổ chức tọa đàm về Tổng Bí thư Nguyễn Văn Cừ",
        "85 cán bộ, đảng viên và nhân dân tham dự buổi tọa đàm ngày 5/7/2022.",
        "<p>Buổi tọa đàm ôn lại cuộc đời, sự nghiệp cách mạng của Tổng Bí thư Nguyễn Văn Cừ "
        "và bàn cách đưa phong trào thi đua đi vào đời sống khu phố.</p>",
        _at(2022, 7, 6, 10),
    ),
    (
        1,
        "Tổng Bí thư Nguyễn Văn Cừ: những mốc son cuộc đời",
        "Sinh ngày 9/7/1912 tại làng Phù Khê, Từ Sơn, Bắc Ninh; hy sinh ngày 28/8/1941.",
        "<h2>Quê hương</h2><p>Đồng chí Nguyễn Văn Cừ sinh ngày 9/7/1912 tại làng Phù Khê, Từ Sơn, "
        "Bắc Ninh, nơi nay có Khu lưu niệm Tổng Bí thư Nguyễn Văn Cừ. Đồng chí là hậu duệ đời thứ 17 "
        "của Nguyễn Trãi.</p><h2>Hoạt động cách mạng</h2><ul><li>Năm 1927 vào học Trường Bưởi (Hà Nội).</li>"
        "<li>Đi làm thợ mỏ than Vàng Danh để “vô sản hóa”, tổ chức công nhân.</li>"
        "<li>Bị tù ở Côn Đảo từ năm 1931 đến năm 1936.</li>"
        "<li>Tháng 3/1938, ở tuổi 26, được bầu làm Tổng Bí thư.</li>"
        "<li>Năm 1939 viết tác phẩm “Tự chỉ trích” với bút danh Trí Cường.</li></ul>",
        _at(2022, 7, 8, 7),
    ),
    (
        1,
        "Hội nghị Trung ương tháng 11/1939 và Mặt trận Thống nhất dân tộc phản đế Đông Dương",
        "Hội nghị do Tổng Bí thư Nguyễn Văn Cừ chủ trì tại Bà Điểm (Hóc Môn).",
        "<p>Hội nghị Ban Chấp hành Trung ương tháng 11/1939 tại Bà Điểm (Hóc Môn) do Tổng Bí thư "
        "Nguyễn Văn Cừ chủ trì đã quyết định thành lập Mặt trận Thống nhất dân tộc phản đế Đông Dương.</p>",
        _at(2022, 7, 9, 7),
    ),
]

# Bibliographic facts kept to what is certain (domain guide §9 and the published catalogues).
BOOKS: list[dict[str, Any]] = [
    {
        "title": "Tự chỉ trích",
        "author": "Nguyễn Văn Cừ (bút danh Trí Cường)",
        "publisher": "",
        "year": 1939,
        "intro": "Tác phẩm lý luận về công tác xây dựng Đảng, Tổng Bí thư Nguyễn Văn Cừ viết năm 1939.",
    },
    {
        "title": "Địa chí Bắc Ninh",
        "author": "Tỉnh ủy – Hội đồng nhân dân – Ủy ban nhân dân tỉnh Bắc Ninh",
        "publisher": "Nhà xuất bản Chính trị quốc gia",
        "year": 2007,
        "intro": "Bộ địa chí về đất và người Bắc Ninh: địa lý, lịch sử, kinh tế, văn hóa, nhân vật.",
    },
]
WHERE = f"Phòng đọc {CENTRE} (dữ liệu mẫu)"


def load(campaign: Campaign) -> None:
    if PortalSite.objects.filter(campaign=campaign).exists():
        return
    media = User.objects.get(username="truyenthong")
    site = services.site_save(
        actor=media,
        campaign=campaign,
        is_public=True,
        intro="Chuyên trang tuyên truyền phong trào thi đua đặc biệt chào mừng kỷ niệm 110 năm "
        "Ngày sinh Tổng Bí thư Nguyễn Văn Cừ (9/7/1912 – 9/7/2022).",
    )
    sections = [
        services.section_create(actor=media, site=site, name="Tin hoạt động"),
        services.section_create(
            actor=media, site=site, name="Tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ"
        ),
    ]
    for n, (index, title, summary, body, when) in enumerate(ARTICLES):
        article = services.article_save(
            actor=media,
            site=site,
            section=sections[index],
            title=title,
            summary=summary,
            body=body,
            author_name="Ban biên tập",
            cover=image(title, n),
            cover_alt=f"Ảnh minh họa: {title}",
        )
        services.article_publish(actor=media, article=article, publish_at=when)
    services.article_save(
        actor=media,
        site=site,
        section=sections[0],
        title="Tổng kết phong trào thi đua (bản nháp)",
        summary="Bản nháp chờ số liệu tổng kết.",
        body="<p>Đang cập nhật.</p>",
    )
    _exhibition(site, sections, media)
    for i, book in enumerate(BOOKS):
        services.book_save(
            actor=media,
            site=site,
            where_to_read=WHERE,
            cover=image(book["title"], i, (400, 600)),
            **book,
        )
    upcoming = datetime.combine(today_local() + timedelta(days=14), time(8, 0), tzinfo=TZ)
    services.event_save(
        actor=media,
        site=site,
        kind="seminar",
        title="Tọa đàm “Tổng Bí thư Nguyễn Văn Cừ với quê hương Bắc Ninh”",
        starts_at=upcoming,
        place=f"Hội trường {CENTRE}",
        speakers="Đại diện Ban Tuyên giáo Thành ủy\nĐại diện Phòng Văn hóa và Thông tin",
        description="Tọa đàm dành cho cán bộ, đoàn viên thanh niên và nhân dân các phường.",
    )
    services.event_save(
        actor=media,
        site=site,
        kind="seminar",
        title="Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ tại phường Đáp Cầu",
        starts_at=_at(2022, 7, 5),
        place="Nhà văn hóa phường Đáp Cầu",
        speakers="Báo cáo viên của Thành ủy",
        description="85 cán bộ, đảng viên và nhân dân tham dự.",
        materials="<p>Tài liệu tuyên truyền đã được gửi tới các khu phố.</p>",
    )
    _good_models(campaign)


def _exhibition(site: PortalSite, sections: list[Section], media: User) -> Album:
    album = services.album_save(
        actor=media,
        site=site,
        title="Tổng Bí thư Nguyễn Văn Cừ – cuộc đời và sự nghiệp",
        description=f"Triển lãm ảnh trực tuyến của {CENTRE}, từ 1/7 đến 31/7/2022.",
    )
    captions = [
        "Khu lưu niệm Tổng Bí thư Nguyễn Văn Cừ ở Phù Khê, Từ Sơn",
        "Đoàn đại biểu dâng hương tưởng niệm",
        "Trưng bày tư liệu tại Trung tâm Văn hóa",
        "Đoàn viên thanh niên tìm hiểu tư liệu",
        "Tủ sách Nguyễn Văn Cừ tại nhà văn hóa khu phố",
        "Buổi tọa đàm tại phường Đáp Cầu",
    ]
    for n, caption in enumerate(captions):
        services.photo_add(
            actor=media,
            album=album,
            image=image(caption, n),
            caption=caption,
            alt_text=f"Ảnh minh họa: {caption.lower()}",
            photographer=CENTRE,
            taken_on=_at(2022, 7, 1 + n).date(),
            place="Thành phố Bắc Ninh",
        )
    ward_officer = User.objects.get(username="donvi")
    services.photo_submit(
        actor=ward_officer,
        album=album,
        unit=Unit.objects.get(code="P-SUOIHOA"),
        image=image("Phuong Suoi Hoa", 7),
        caption="Phường Suối Hoa ra quân tuyên truyền phong trào thi đua",
        alt_text="Ảnh minh họa: đoàn viên phường Suối Hoa ra quân tuyên truyền",
        photographer="Phường Suối Hoa",
        place="Phường Suối Hoa",
    )
    return album


def _good_models(campaign: Campaign) -> None:
    """Two published models: the Kinh Bắc bookshelf (accepted earlier) and Suối Hoa's play."""
    office = User.objects.filter(username="noivu").first()
    if office is None:  # a partial set-up (tests) without the demo's Nội vụ login
        return
    for model in GoodModel.objects.filter(
        campaign=campaign,
        status=GoodModel.Status.PROPOSED,
        title="Sân khấu hóa câu chuyện về Tổng Bí thư",
    ):
        participation.good_model_review(
            actor=office,
            good_model=model,
            decision="accept",
            note="Cách làm sáng tạo, thu hút thanh niên.",
        )
