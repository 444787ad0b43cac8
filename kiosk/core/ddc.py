"""Dewey classes in Vietnamese: the ten main classes and their hundred divisions.

Names follow the summaries of the Vietnamese translation of DDC 23 (Khung phân loại
thập phân Dewey, ấn bản 23, Thư viện Quốc gia Việt Nam), the edition Vietnamese public
libraries classify with; divisions the schedules leave unassigned (040) are absent.
Kept as data here alone: the kiosk, the counter and the OPAC all read it.
"""

from __future__ import annotations

MAIN_CLASSES: dict[str, str] = {
    "000": "Tin học, thông tin và tác phẩm tổng quát",
    "100": "Triết học và tâm lý học",
    "200": "Tôn giáo",
    "300": "Khoa học xã hội",
    "400": "Ngôn ngữ",
    "500": "Khoa học",
    "600": "Công nghệ",
    "700": "Nghệ thuật và giải trí",
    "800": "Văn học",
    "900": "Lịch sử và địa lý",
}

DIVISIONS: dict[str, str] = {
    "000": "Tin học, tri thức và hệ thống",
    "010": "Thư mục học",
    "020": "Thư viện học và thông tin học",
    "030": "Bách khoa thư và sách tra cứu",
    "050": "Tạp chí, báo và xuất bản phẩm nhiều kỳ",
    "060": "Hiệp hội, tổ chức và bảo tàng học",
    "070": "Truyền thông tin tức, báo chí và xuất bản",
    "080": "Tuyển tập tổng quát, trích dẫn",
    "090": "Bản thảo và sách hiếm",
    "100": "Triết học",
    "110": "Siêu hình học",
    "120": "Nhận thức luận",
    "130": "Cận tâm lý và huyền bí học",
    "140": "Các trường phái triết học",
    "150": "Tâm lý học",
    "160": "Lôgic học",
    "170": "Đạo đức học",
    "180": "Triết học cổ đại, trung đại và phương Đông",
    "190": "Triết học phương Tây hiện đại",
    "200": "Tôn giáo",
    "210": "Triết học và lý thuyết tôn giáo",
    "220": "Kinh Thánh",
    "230": "Kitô giáo",
    "240": "Đạo đức và thực hành Kitô giáo",
    "250": "Giáo hội địa phương và dòng tu Kitô giáo",
    "260": "Thần học xã hội và giáo hội học Kitô giáo",
    "270": "Lịch sử Kitô giáo",
    "280": "Các giáo phái Kitô giáo",
    "290": "Các tôn giáo khác",
    "300": "Khoa học xã hội, xã hội học và nhân học",
    "310": "Thống kê học",
    "320": "Khoa học chính trị",
    "330": "Kinh tế học",
    "340": "Luật học",
    "350": "Hành chính công và khoa học quân sự",
    "360": "Các vấn đề và dịch vụ xã hội",
    "370": "Giáo dục",
    "380": "Thương mại, thông tin liên lạc, giao thông vận tải",
    "390": "Phong tục, nghi lễ và văn hoá dân gian",
    "400": "Ngôn ngữ",
    "410": "Ngôn ngữ học",
    "420": "Tiếng Anh và tiếng Anh cổ",
    "430": "Tiếng Đức và các ngôn ngữ German",
    "440": "Tiếng Pháp và các ngôn ngữ Roman",
    "450": "Tiếng Italia, Rumani và các ngôn ngữ liên quan",
    "460": "Tiếng Tây Ban Nha và tiếng Bồ Đào Nha",
    "470": "Tiếng Latinh và các ngôn ngữ Italic",
    "480": "Tiếng Hy Lạp cổ điển và các ngôn ngữ Hy Lạp",
    "490": "Các ngôn ngữ khác",
    "500": "Khoa học",
    "510": "Toán học",
    "520": "Thiên văn học",
    "530": "Vật lý học",
    "540": "Hoá học",
    "550": "Khoa học Trái Đất",
    "560": "Cổ sinh vật học",
    "570": "Sinh học",
    "580": "Thực vật học",
    "590": "Động vật học",
    "600": "Công nghệ",
    "610": "Y học và sức khoẻ",
    "620": "Kỹ thuật",
    "630": "Nông nghiệp",
    "640": "Quản lý nhà cửa và gia đình",
    "650": "Quản lý và quan hệ công chúng",
    "660": "Kỹ thuật hoá học",
    "670": "Sản xuất công nghiệp",
    "680": "Sản xuất sản phẩm cho mục đích chuyên dụng",
    "690": "Nhà cửa và xây dựng",
    "700": "Nghệ thuật",
    "710": "Quy hoạch và nghệ thuật cảnh quan",
    "720": "Kiến trúc",
    "730": "Điêu khắc, gốm sứ và nghệ thuật kim loại",
    "740": "Đồ hoạ và nghệ thuật trang trí",
    "750": "Hội hoạ",
    "760": "Nghệ thuật in ấn và tranh in",
    "770": "Nhiếp ảnh, nghệ thuật máy tính, phim, video",
    "780": "Âm nhạc",
    "790": "Thể thao, trò chơi và nghệ thuật biểu diễn",
    "800": "Văn học, tu từ học và phê bình",
    "810": "Văn học Mỹ bằng tiếng Anh",
    "820": "Văn học Anh và văn học Anh cổ",
    "830": "Văn học Đức và các ngôn ngữ German",
    "840": "Văn học Pháp và các ngôn ngữ Roman",
    "850": "Văn học Italia, Rumani và các ngôn ngữ liên quan",
    "860": "Văn học Tây Ban Nha và Bồ Đào Nha",
    "870": "Văn học Latinh và các ngôn ngữ Italic",
    "880": "Văn học Hy Lạp cổ điển và các ngôn ngữ Hy Lạp",
    "890": "Văn học các ngôn ngữ khác",
    "900": "Lịch sử",
    "910": "Địa lý và du lịch",
    "920": "Tiểu sử, phả hệ và huy hiệu",
    "930": "Lịch sử thế giới cổ đại",
    "940": "Lịch sử châu Âu",
    "950": "Lịch sử châu Á",
    "960": "Lịch sử châu Phi",
    "970": "Lịch sử Bắc Mỹ",
    "980": "Lịch sử Nam Mỹ",
    "990": "Lịch sử các khu vực khác",
}

def name_of(code: str) -> str:
    """The Vietnamese name of a division (``"890"``, ``"800"`` the class's general works)."""
    return DIVISIONS.get(code, "")


def divisions_of(main: str) -> list[tuple[str, str]]:
    """The divisions of main class ``main`` (``"800"`` -> 800, 810, ... 890)."""
    return [(code, name) for code, name in DIVISIONS.items() if code[0] == main[0]]


def parent_of(division: str) -> str:
    """The main class a division belongs to (``"890"`` -> ``"800"``)."""
    return division[0] + "00"


def class_of(ddc: str | None) -> str | None:
    """The division (``"895.9223"`` -> ``"890"``) of a record's DDC number, if it has one."""
    digits = (ddc or "").strip()[:2]
    return digits + "0" if len(digits) == 2 and digits.isdigit() else None


# DDC's own English summaries, for a kiosk switched to English.
MAIN_CLASSES_EN: dict[str, str] = {
    "000": "Computer science, information and general works",
    "100": "Philosophy and psychology", "200": "Religion", "300": "Social sciences",
    "400": "Language", "500": "Science", "600": "Technology", "700": "Arts and recreation",
    "800": "Literature", "900": "History and geography",
}

DIVISIONS_EN: dict[str, str] = {
    "000": "Computer science, knowledge and systems", "010": "Bibliographies",
    "020": "Library and information sciences", "030": "Encyclopedias and books of facts",
    "050": "Magazines, journals and serials", "060": "Associations, organizations and museums",
    "070": "News media, journalism and publishing", "080": "Quotations",
    "090": "Manuscripts and rare books",
    "100": "Philosophy", "110": "Metaphysics", "120": "Epistemology",
    "130": "Parapsychology and occultism", "140": "Philosophical schools of thought",
    "150": "Psychology", "160": "Logic", "170": "Ethics",
    "180": "Ancient, medieval and eastern philosophy", "190": "Modern western philosophy",
    "200": "Religion", "210": "Philosophy and theory of religion", "220": "The Bible",
    "230": "Christianity", "240": "Christian practice and observance",
    "250": "Christian pastoral practice and religious orders",
    "260": "Christian organization, social work and worship", "270": "History of Christianity",
    "280": "Christian denominations", "290": "Other religions",
    "300": "Social sciences, sociology and anthropology", "310": "Statistics",
    "320": "Political science", "330": "Economics", "340": "Law",
    "350": "Public administration and military science", "360": "Social problems and services",
    "370": "Education", "380": "Commerce, communications and transportation",
    "390": "Customs, etiquette and folklore",
    "400": "Language", "410": "Linguistics", "420": "English and Old English languages",
    "430": "German and related languages", "440": "French and related languages",
    "450": "Italian, Romanian and related languages", "460": "Spanish and Portuguese languages",
    "470": "Latin and Italic languages", "480": "Classical and modern Greek languages",
    "490": "Other languages",
    "500": "Science", "510": "Mathematics", "520": "Astronomy", "530": "Physics",
    "540": "Chemistry", "550": "Earth sciences and geology", "560": "Fossils and prehistoric life",
    "570": "Biology", "580": "Plants (Botany)", "590": "Animals (Zoology)",
    "600": "Technology", "610": "Medicine and health", "620": "Engineering",
    "630": "Agriculture", "640": "Home and family management",
    "650": "Management and public relations", "660": "Chemical engineering",
    "670": "Manufacturing", "680": "Manufacture for specific uses",
    "690": "Construction of buildings",
    "700": "Arts", "710": "Area planning and landscape architecture", "720": "Architecture",
    "730": "Sculpture, ceramics and metalwork", "740": "Drawing and decorative arts",
    "750": "Painting", "760": "Graphic arts", "770": "Photography, computer art, film, video",
    "780": "Music", "790": "Sports, games and entertainment",
    "800": "Literature, rhetoric and criticism", "810": "American literature in English",
    "820": "English and Old English literatures", "830": "German and related literatures",
    "840": "French and related literatures", "850": "Italian, Romanian and related literatures",
    "860": "Spanish and Portuguese literatures", "870": "Latin and Italic literatures",
    "880": "Classical and modern Greek literatures", "890": "Other literatures",
    "900": "History", "910": "Geography and travel",
    "920": "Biography and genealogy", "930": "History of the ancient world",
    "940": "History of Europe", "950": "History of Asia", "960": "History of Africa",
    "970": "History of North America", "980": "History of South America",
    "990": "History of other areas",
}
