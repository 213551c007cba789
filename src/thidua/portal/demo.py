"""Demo content of the seed campaign's public pages (called by thidua.demo.load, idempotent).

Photos and book covers are generated (no real people, no copied covers). Books are real, with
only the facts found on the source page noted next to each entry.
"""

import textwrap
from datetime import datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

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


SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")  # Vietnamese glyphs


def book_cover(title: str, author: str, n: int) -> SimpleUploadedFile:
    """A generated cover (not the real one): the title set large on a plain coloured board."""
    width, height = 400, 600
    im = Image.new("RGB", (width, height), COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(im)
    draw.rectangle((18, 18, width - 18, height - 18), outline=(235, 205, 120), width=3)
    if SERIF.exists():
        font: Any = ImageFont.truetype(str(SERIF), 28)
        small: Any = ImageFont.truetype(str(SERIF), 18)
    else:  # the built-in font has no Vietnamese letters: write them without accents
        title, author = fold(title).upper(), fold(author)
        font, small = ImageFont.load_default(size=28), ImageFont.load_default(size=18)
    y = 90
    for line in textwrap.wrap(title, 16)[:9]:
        draw.text((width / 2, y), line, font=font, fill=(255, 250, 235), anchor="ma")
        y += 40
    for i, line in enumerate(textwrap.wrap(author, 28)[:3]):
        draw.text((width / 2, height - 130 + 24 * i), line, font=small, anchor="ma")
    label = "bìa minh họa" if SERIF.exists() else "bia minh hoa"
    draw.text((width / 2, height - 44), label, font=small, fill=(235, 205, 120), anchor="ma")
    buffer = BytesIO()
    im.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"bia-{n + 1}.jpg", buffer.getvalue(), content_type="image/jpeg")


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

# The book display. Every fact below was found on the page named in "source" (checked in
# 12/2026); a field left empty means no source stated it, so nothing was guessed. Display
# order follows the list; "where" is a general hint, not a claim that a copy is on the shelf.
LIBRARY = "Thư viện tỉnh Bắc Ninh"
ASK_LIBRARY = f"Tìm đọc, hỏi mượn tại {LIBRARY} và thư viện, tủ sách cơ sở (nên hỏi trước)."
ASK_MUSEUM = f"Hỏi đọc tại {LIBRARY} hoặc Bảo tàng tỉnh Bắc Ninh (nên hỏi trước)."
BOOKS: list[dict[str, Any]] = [
    {
        "title": "Tự chỉ trích",
        "author": "Nguyễn Văn Cừ (bút danh Trí Cường)",
        "publisher": "",
        "year": 1939,
        "intro": "Tác phẩm lý luận về xây dựng Đảng do Tổng Bí thư Nguyễn Văn Cừ viết năm 1939 "
        "với bút danh Trí Cường, một tài liệu giáo dục chính trị, tư tưởng cho cán bộ, đảng viên.",
        "where": ASK_LIBRARY,
        "source": "https://toploigiai.vn/ai-la-nguoi-viet-tac-pham-tu-chi-trich ; "
        "http://www.thanhdoan.hochiminhcity.gov.vn/ThanhDoan/webtd/News/37117 ; domain guide §9",
    },
    {
        "title": "Nguyễn Văn Cừ – Nhà lãnh đạo xuất sắc, một tấm gương cộng sản mẫu mực",
        "author": "Nhiều tác giả",
        "publisher": "Nhà xuất bản Chính trị quốc gia – Sự thật",
        "year": 2012,
        "intro": "Xuất bản nhân kỷ niệm 100 năm Ngày sinh đồng chí Nguyễn Văn Cừ (9/7/1912 – "
        "9/7/2012). Sách dày 856 trang với hơn 70 bài viết của lãnh đạo Đảng, Nhà nước, những "
        "người bạn chiến đấu, nhà nghiên cứu và người thân trong gia đình về cuộc đời, sự nghiệp "
        "cách mạng của đồng chí.",
        "where": ASK_LIBRARY,
        "source": "https://baolangson.vn/chinh-tri/9951-xuat-ban-cuon-sach-nguyen-van-cu-nha-"
        "lanh-dao-xuat-sac-mot-tam-guong-cong-san-mau-muc.html ; "
        "http://thuvienquangngai.vn/nguyen-van-cu-nha-lanh-dao-xuat-sac-mot-tam-guong-cong-san-mau-muc/",
    },
    {
        "title": "Biên niên sự kiện Lịch sử Đảng bộ tỉnh Bắc Ninh giai đoạn 2008 – 2017",
        "author": "",
        "publisher": "Nhà xuất bản Chính trị quốc gia Sự thật",
        "year": 2018,
        "intro": "Sách dày 573 trang, ghi lại 427 sự kiện tiêu biểu về sự lãnh đạo, chỉ đạo của "
        "Đảng bộ tỉnh Bắc Ninh trong mười năm 2008 – 2017; bản thảo được góp ý qua hai hội thảo "
        "khoa học có sự tham gia của Viện Lịch sử Đảng.",
        "where": ASK_LIBRARY,
        "source": "http://tapchicongsan.org.vn/Home/Thong-tin-ly-luan/2018/52175/"
        "Hoan-thanh-Bien-nien-su-kien-Lich-su-Dang-bo-tinh-Bac.aspx (5/9/2018)",
    },
    {
        "title": "Dân ca Quan họ Bắc Ninh",
        "author": "Nguyễn Văn Phú, Lưu Hữu Phước, Nguyễn Viêm, Tú Ngọc",
        "publisher": "",
        "year": 1962,
        "intro": "Một trong những công trình khảo cứu đầu tiên về dân ca quan họ theo hướng khoa "
        "học, có hệ thống. Sở Văn hóa, Thể thao và Du lịch Bắc Ninh đã tái bản sách.",
        "where": ASK_LIBRARY,
        "source": "http://bacninhtv.vn/tin-tuc-n6345/hoan-thanh-tai-ban-hai-cuon-sach-quy-ve-"
        "dan-ca-quan-ho-bac-ninh.html",
    },
    {
        "title": "Quan họ – nguồn gốc và quá trình phát triển",
        "author": "Đặng Văn Lung, Hồng Thao, Trần Linh Quý",
        "publisher": "",
        "year": 1978,
        "intro": "Khảo cứu về nguồn gốc, quá trình hình thành, phát triển, nội dung và giá trị "
        "nghệ thuật của dân ca quan họ; được Sở Văn hóa, Thể thao và Du lịch Bắc Ninh tái bản "
        "cùng cuốn “Dân ca Quan họ Bắc Ninh”.",
        "where": ASK_LIBRARY,
        "source": "http://bacninhtv.vn/tin-tuc-n6345/hoan-thanh-tai-ban-hai-cuon-sach-quy-ve-"
        "dan-ca-quan-ho-bac-ninh.html",
    },
    {
        "title": "Di tích lịch sử – văn hóa tỉnh Bắc Ninh",
        "author": "Bảo tàng tỉnh Bắc Ninh",
        "publisher": "",
        "year": 2013,
        "intro": "Bản tái bản năm 2013, dày 846 trang: giới thiệu các di tích lịch sử – văn hóa "
        "trong tỉnh theo địa giới từng huyện, thị xã, thành phố, kèm phụ lục ảnh di tích, di vật "
        "tiêu biểu.",
        "where": ASK_MUSEUM,
        "source": "https://baotangbacninh.vn/ds-khoa-hoc/5",
    },
    {
        "title": "Bảo vật quốc gia tỉnh Bắc Ninh",
        "author": "Bảo tàng tỉnh Bắc Ninh",
        "publisher": "",
        "year": 2018,
        "intro": "Sách 148 trang giới thiệu các hiện vật, nhóm hiện vật của Bắc Ninh được Thủ "
        "tướng Chính phủ công nhận là Bảo vật quốc gia (8 hiện vật, nhóm hiện vật khi sách ra "
        "đời).",
        "where": ASK_MUSEUM,
        "source": "https://baotangbacninh.vn/ds-khoa-hoc/8",
    },
    {
        "title": "Dòng tranh dân gian Đông Hồ",
        "author": "Nguyễn Thị Thu Hòa (cùng GS Trịnh Sinh, nhiếp ảnh Lê Bích)",
        "publisher": "",
        "year": None,
        "intro": "Gần 300 trang, ba chương: Làng Đông Hồ; Các dòng tranh dân gian sản xuất tại "
        "Đông Hồ; Tranh dân gian khắc gỗ và vẽ tay, với khoảng 500 ảnh. Cùng cuốn “Dòng tranh "
        "dân gian Kim Hoàng”, sách đạt giải B Giải thưởng Sách Quốc gia lần thứ 3 (2020).",
        "where": ASK_LIBRARY,
        "source": "https://giaoducthoidai.vn/van-hoa/cong-bo-nhieu-tu-lieu-moi-ve-tranh-dong-ho-"
        "3811867.html ; http://vov1.vov.gov.vn/Search.aspx?key=G%E1%BB%91m+s%E1%BB%A9+",
    },
    {
        "title": "Văn hiến Kinh Bắc (tập II)",
        "author": "",
        "publisher": "",
        "year": None,
        "intro": "Tập hợp kết quả nghiên cứu về lịch sử, văn hóa Bắc Ninh: vị thế lịch sử, truyền "
        "thống tiêu biểu của đất và người Kinh Bắc, địa dư hành chính qua các công trình địa chí "
        "và danh sách đơn vị hành chính của tỉnh để tiện tra cứu.",
        "where": ASK_LIBRARY,
        "source": "http://nd.vietsoftpro.com/qhbn.nsf/an-pham-chi-tiet/van_hien_kinh_bac.html",
    },
    {
        "title": "Liệt sĩ, Anh hùng Lực lượng vũ trang nhân dân Nguyễn Đình Xô, con người gang thép",
        "author": "Hội Chiến sĩ cách mạng bị địch bắt tù đày tỉnh Bắc Ninh (sưu tầm, biên soạn)",
        "publisher": "",
        "year": None,
        "intro": "Kỷ yếu gồm tài liệu, hình ảnh, hồi ức và bài báo về liệt sĩ Nguyễn Đình Xô, "
        "người thôn Hộ Vệ, xã Lạc Vệ (Tiên Du), được truy tặng danh hiệu Anh hùng Lực lượng vũ "
        "trang nhân dân năm 2018. Tháng 12/2019 sách được trao tặng các trường học, cơ sở Đoàn "
        "trong tỉnh.",
        "where": ASK_LIBRARY,
        "source": "thdinhbang2.bacninh.edu.vn/tin-tuc-su-kien/tang-sach-nguyen-dinh-xo-con-"
        "nguoi-gang-thep-nham-giao-duc-t.html (25/12/2019, theo Báo Bắc Ninh)",
    },
]


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
            title=book["title"],
            author=book["author"],
            publisher=book["publisher"],
            year=book["year"],
            intro=book["intro"],
            where_to_read=book["where"],
            cover=book_cover(book["title"], book["author"], i),
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
