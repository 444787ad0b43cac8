"""Word lists for the Tam Nông demo library: real classics, topics, publishers, names.

Kept apart from :mod:`kiosk.demo` so the generator reads as logic, not as data. The
registrant numbers in ``PUBLISHERS`` are demo values inside the Vietnamese ``978-604``
group, not the publishers' real ISBN prefixes.
"""

from __future__ import annotations

# name, place, demo registrant number (its length fixes how many titles fit)
PUBLISHERS = {
    "Kim Đồng": ("Kim Đồng", "Hà Nội", "2"),
    "Trẻ": ("Trẻ", "TP. Hồ Chí Minh", "1"),
    "Giáo dục": ("Giáo dục Việt Nam", "Hà Nội", "0"),
    "Nông nghiệp": ("Nông nghiệp", "Hà Nội", "6"),
    "Chính trị": ("Chính trị Quốc gia Sự thật", "Hà Nội", "57"),
    "Văn học": ("Văn học", "Hà Nội", "9"),
    "Tổng hợp": ("Tổng hợp TP.HCM", "TP. Hồ Chí Minh", "58"),
    "Hội Nhà văn": ("Hội Nhà văn", "Hà Nội", "53"),
}

# title, authors, publisher key, year, ddc, subjects, item type, series
CLASSICS = [
    ("Dế Mèn phiêu lưu ký", ["Tô Hoài"], "Kim Đồng", 2019, "895.9223",
     ["Văn học thiếu nhi", "Truyện dài"], "children", "Tủ sách Văn học Việt Nam"),
    ("Truyện Kiều", ["Nguyễn Du"], "Văn học", 2018, "895.9221",
     ["Thơ", "Văn học trung đại"], "book", None),
    ("Số đỏ", ["Vũ Trọng Phụng"], "Văn học", 2016, "895.9223",
     ["Tiểu thuyết", "Văn học hiện thực"], "book", None),
    ("Tắt đèn", ["Ngô Tất Tố"], "Văn học", 2017, "895.9223",
     ["Tiểu thuyết", "Nông thôn Việt Nam"], "book", None),
    ("Nhật ký trong tù", ["Hồ Chí Minh"], "Chính trị", 2020, "895.9221",
     ["Thơ", "Hồ Chí Minh"], "book", None),
    ("Cho tôi xin một vé đi tuổi thơ", ["Nguyễn Nhật Ánh"], "Trẻ", 2018, "895.9223",
     ["Truyện dài", "Tuổi thơ"], "book", None),
    ("Đất rừng phương Nam", ["Đoàn Giỏi"], "Kim Đồng", 2019, "895.9223",
     ["Văn học thiếu nhi", "Nam Bộ"], "children", "Tủ sách Văn học Việt Nam"),
    ("Mắt biếc", ["Nguyễn Nhật Ánh"], "Trẻ", 2019, "895.9223", ["Truyện dài"], "book", None),
    ("Tôi thấy hoa vàng trên cỏ xanh", ["Nguyễn Nhật Ánh"], "Trẻ", 2018, "895.9223",
     ["Truyện dài", "Tuổi thơ"], "book", None),
    ("Chí Phèo", ["Nam Cao"], "Văn học", 2015, "895.9223", ["Truyện ngắn"], "book", None),
    ("Lão Hạc", ["Nam Cao"], "Kim Đồng", 2017, "895.9223", ["Truyện ngắn"], "children", None),
    ("Những ngày thơ ấu", ["Nguyên Hồng"], "Kim Đồng", 2016, "895.9228", ["Hồi ký"], "book", None),
    ("Tuổi thơ dữ dội", ["Phùng Quán"], "Kim Đồng", 2018, "895.9223",
     ["Văn học thiếu nhi", "Chiến tranh"], "children", None),
    ("Hương rừng Cà Mau", ["Sơn Nam"], "Trẻ", 2017, "895.9223",
     ["Truyện ngắn", "Nam Bộ"], "book", None),
    ("Gió đầu mùa", ["Thạch Lam"], "Hội Nhà văn", 2016, "895.9223", ["Truyện ngắn"], "book", None),
    ("Nỗi buồn chiến tranh", ["Bảo Ninh"], "Trẻ", 2011, "895.9223",
     ["Tiểu thuyết", "Chiến tranh"], "book", None),
    ("Kho tàng truyện cổ tích Việt Nam", ["Nguyễn Đổng Chi"], "Giáo dục", 2000, "398.209597",
     ["Truyện cổ tích", "Văn học dân gian"], "children", None),
    ("Việt Nam sử lược", ["Trần Trọng Kim"], "Văn học", 2018, "959.7", ["Lịch sử Việt Nam"],
     "book", None),
    ("Kỹ thuật nuôi cá lóc", ["Trần Văn Vỹ"], "Nông nghiệp", 2015, "639.3",
     ["Thủy sản", "Cá lóc", "Đồng Tháp"], "book", "Tủ sách Khuyến nông"),
    ("Trồng lúa chất lượng cao ở Đồng bằng sông Cửu Long", ["Nguyễn Ngọc Đệ"], "Nông nghiệp",
     2016, "633.18", ["Lúa", "Đồng bằng sông Cửu Long"], "book", "Tủ sách Khuyến nông"),
    ("Kỹ thuật nuôi thuỷ sản nước ngọt", ["Phạm Văn Trang"], "Nông nghiệp", 2014, "639.3",
     ["Thủy sản"], "book", "Tủ sách Khuyến nông"),
    ("Lịch sử Đảng bộ huyện Tam Nông", ["Ban Chấp hành Đảng bộ huyện Tam Nông"], "Chính trị",
     2015, "324.2597075", ["Lịch sử địa phương", "Tam Nông", "Đồng Tháp"], "book", None),
    ("Vườn quốc gia Tràm Chim", ["Nguyễn Văn Hùng"], "Tổng hợp", 2019, "333.783",
     ["Tràm Chim", "Đồng Tháp", "Bảo tồn thiên nhiên"], "book", None),
    ("Sếu đầu đỏ", ["Lê Minh Hoà"], "Kim Đồng", 2020, "598.32",
     ["Chim", "Tràm Chim", "Đồng Tháp"], "children", "Thiên nhiên quanh em"),
    ("Từ điển tiếng Việt", ["Hoàng Phê"], "Giáo dục", 2018, "495.9223", ["Tiếng Việt", "Từ điển"],
     "reference", None),
    ("Atlat địa lý Việt Nam", ["Nhiều tác giả"], "Giáo dục", 2021, "912.597", ["Địa lý", "Bản đồ"],
     "reference", None),
    ("Báo Đồng Tháp", ["Đảng bộ tỉnh Đồng Tháp"], "Tổng hợp", 2026, "079.597",
     ["Báo chí", "Đồng Tháp"], "periodical", None),
    ("Tràm Chim mùa sếu về", ["Đài Phát thanh và Truyền hình Đồng Tháp"], "Tổng hợp", 2018,
     "333.783", ["Phim tài liệu", "Tràm Chim"], "av", None),
]

# Generated titles: a form applied to a topic. Each domain has its DDC, subjects, item type.
AGRI_TOPICS = [
    ("nuôi cá lóc", "639.3", "Cá lóc"), ("nuôi cá tra", "639.3", "Cá tra"),
    ("nuôi tôm càng xanh", "639.6", "Tôm càng xanh"), ("nuôi ếch", "639.3", "Ếch"),
    ("nuôi vịt chạy đồng", "636.597", "Vịt"), ("nuôi heo an toàn sinh học", "636.4", "Heo"),
    ("nuôi bò sữa", "636.2142", "Bò sữa"), ("trồng lúa", "633.18", "Lúa"),
    ("trồng sen", "635.9", "Sen"), ("trồng xoài", "634.44", "Xoài"),
    ("trồng nấm rơm", "635.8", "Nấm"), ("trồng rau sạch", "635", "Rau"),
    ("phòng trừ sâu bệnh hại lúa", "632.9", "Bảo vệ thực vật"),
    ("bón phân cho cây trồng", "631.8", "Phân bón"), ("trồng dưa hấu", "635.615", "Dưa hấu"),
    ("nuôi ong lấy mật", "638.1", "Ong"), ("nuôi lươn không bùn", "639.3", "Lươn"),
]
AGRI_FORMS = [
    "Kỹ thuật {t}", "Hỏi đáp {t}", "Cẩm nang {t}", "Sổ tay {t}", "Hướng dẫn {t}",
    "{T} ở Đồng bằng sông Cửu Long", "{T} theo hướng hữu cơ", "Kinh nghiệm {t}",
    "{T} đạt năng suất cao", "{T} cho nông hộ",
]
HEALTH_TOPICS = [
    ("chăm sóc sức khoẻ trẻ em", "613.0432", "Sức khỏe trẻ em"),
    ("phòng chống sốt xuất huyết", "614.5", "Bệnh truyền nhiễm"),
    ("dinh dưỡng cho người cao tuổi", "613.2", "Dinh dưỡng"),
    ("sơ cứu ban đầu", "616.0252", "Sơ cứu"),
    ("vệ sinh an toàn thực phẩm", "363.192", "An toàn thực phẩm"),
    ("phòng chống đuối nước", "613.69", "Phòng chống tai nạn"),
]
HEALTH_FORMS = ["Cẩm nang {t}", "Hỏi đáp về {t}", "Tìm hiểu {t}", "{T} tại gia đình"]
LAW_TOPICS = [
    ("Luật Đất đai", "346.597043", "Pháp luật"),
    ("Luật Giao thông đường bộ", "343.597094", "Pháp luật"),
    ("Luật Hôn nhân và gia đình", "346.597015", "Pháp luật"),
    ("phòng chống bạo lực gia đình", "362.8292", "Gia đình"),
    ("xây dựng nông thôn mới", "307.7209597", "Nông thôn mới"),
]
LAW_FORMS = ["Tìm hiểu {t}", "Hỏi đáp {t}", "{T} và văn bản hướng dẫn", "Sổ tay {t}"]
PLACE_TOPICS = [
    ("Đồng Tháp Mười", "959.789", "Đồng Tháp Mười"), ("Tam Nông", "959.789", "Tam Nông"),
    ("Tràm Chim", "959.789", "Tràm Chim"), ("Nam Bộ", "959.77", "Nam Bộ"),
    ("Đồng bằng sông Cửu Long", "959.78", "Đồng bằng sông Cửu Long"),
    ("vùng sông Tiền", "959.789", "Sông Tiền"),
]
PLACE_FORMS = [
    "Lịch sử {t}", "Địa chí {t}", "Văn hoá dân gian {t}", "{T} xưa và nay",
    "Di tích lịch sử {t}", "Ca dao, dân ca {t}", "Đất và người {t}",
]
SKILL_TOPICS = [
    ("tiếng Anh giao tiếp", "428.34", "Tiếng Anh"), ("tin học văn phòng", "005.5", "Tin học"),
    ("kỹ năng sống cho học sinh", "646.7", "Kỹ năng sống"),
    ("sử dụng điện thoại thông minh", "004.167", "Tin học"),
    ("biến đổi khí hậu", "551.6", "Môi trường"),
    ("khởi nghiệp ở nông thôn", "658.11", "Kinh doanh"),
]
SKILL_FORMS = ["Tự học {t}", "{T} cơ bản", "{T} cho người mới bắt đầu", "Bài tập {t}"]
ANIMALS = [
    "Thỏ con", "Rùa vàng", "Sếu đầu đỏ", "Chú ếch xanh", "Vịt con", "Mèo mướp", "Cò trắng",
    "Cá rô đồng", "Chuột nhắt", "Chim sáo", "Trâu con", "Đom đóm",
]
CHILD_FORMS = ["{a} và {b}", "Chuyện của {a}", "{a} đi học", "Cuộc phiêu lưu của {a}",
               "{a} tìm bạn"]
LIT_NOUNS = [
    "Mùa nước nổi", "Bến sông quê", "Cánh đồng sen", "Chiều trên kênh", "Tiếng đàn kìm",
    "Ánh trăng", "Con đò", "Gió chướng", "Rừng tràm", "Mái lá", "Dòng kênh", "Phiên chợ nổi",
]
LIT_TAILS = ["", " tuổi thơ", " phương Nam", " miền Tây", " ngày cũ", " quê mẹ", " mùa hạ"]
LIT_FORMS = [("Truyện ngắn", "895.9223"), ("Thơ", "895.9221"), ("Tạp văn", "895.9228"),
             ("Tiểu thuyết", "895.9223")]
SUBTITLES = [
    None, None, None, "Tài liệu dùng cho khuyến nông viên", "Sách phổ biến kiến thức",
    "Tái bản có sửa chữa, bổ sung", "Dành cho thư viện xã", "Tủ sách cơ sở",
]

FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Võ", 4),
    ("Phan", 4), ("Trương", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1), ("Hồ", 2), ("Ngô", 1),
    ("Dương", 1), ("Lý", 1), ("Đoàn", 1), ("Lâm", 1), ("Châu", 1),
]
MIDDLE_MALE = ["Văn", "Minh", "Hữu", "Thanh", "Quốc", "Công", "Đức", "Hoàng", "Tấn", "Chí"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Phương", "Thị Mỹ", "Hồng"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Lộc", "Nam", "Phúc", "Quang",
    "Sơn", "Tài", "Thành", "Tuấn", "Vinh", "Hậu", "Lợi", "Tâm", "Trí", "Nghĩa", "Hiếu", "Khoa",
]
GIVEN_FEMALE = [
    "Anh", "Châu", "Diễm", "Hạnh", "Hoà", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhi",
    "Oanh", "Phượng", "Thảo", "Thuỷ", "Trang", "Tuyết", "Vy", "Yến", "Xuân", "Loan", "Thư",
]

# The 13 commune-level units of huyện Tam Nông; Tràm Chim is the town (its hamlets are khóm).
COMMUNES = [
    "Tràm Chim", "An Hòa", "An Long", "An Phong", "Hòa Bình", "Phú Cường", "Phú Đức",
    "Phú Hiệp", "Phú Ninh", "Phú Thành A", "Phú Thành B", "Phú Thọ", "Tân Công Sính",
]
LOCATIONS = {
    "book": "Kho mở", "children": "Phòng thiếu nhi", "reference": "Kho tra cứu",
    "periodical": "Giá báo – tạp chí", "av": "Tủ nghe nhìn",
}
