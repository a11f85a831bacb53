"""Vietnamese personal and place names for demo data, with realistic frequencies.

Surname shares follow commonly cited estimates (Nguyễn about 38%, Trần 11%, Lê 9.5%…).
"""

SURNAMES = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 31), ("Huỳnh", 20),
    ("Phan", 45), ("Vũ", 24), ("Võ", 15), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Trịnh", 5), ("Đào", 5), ("Mai", 4),
    ("Lương", 4), ("Tạ", 3), ("Cao", 3), ("Lâm", 3), ("Hà", 4), ("Đoàn", 4), ("Trương", 4),
    ("Tô", 2), ("Chu", 2), ("Lưu", 2), ("Kiều", 1), ("Quách", 1), ("Thái", 1), ("Tống", 1),
    ("Khổng", 1), ("Lục", 1), ("Hoàng Phủ", 1), ("Âu Dương", 1),
]  # fmt: skip

MIDDLE_NAMES = {
    "male": [
        ("Văn", 300), ("Đức", 60), ("Minh", 70), ("Quang", 40), ("Hữu", 40), ("Công", 30),
        ("Xuân", 25), ("Ngọc", 20), ("Thanh", 30), ("Đình", 35), ("Tiến", 15), ("Trọng", 15),
        ("Mạnh", 15), ("Anh", 15), ("Hoàng", 15), ("Việt", 10), ("Duy", 15), ("Quốc", 25),
        ("Gia", 10), ("Bá", 10), ("Trung", 10), ("Thế", 10), ("Văn Minh", 5), ("Đăng", 10),
    ],
    "female": [
        ("Thị", 380), ("Ngọc", 40), ("Thu", 35), ("Thanh", 30), ("Minh", 25), ("Kim", 20),
        ("Hồng", 25), ("Phương", 15), ("Thùy", 20), ("Hải", 10), ("Bích", 15), ("Diệu", 10),
        ("Khánh", 10), ("Mai", 10), ("Quỳnh", 10), ("Lan", 8), ("Hoài", 8), ("Thị Thu", 10),
        ("Thị Minh", 8), ("Bảo", 8),
    ],
}  # fmt: skip

GIVEN_NAMES = {
    "male": [
        "An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt",
        "Đông", "Đức", "Giang", "Hải", "Hào", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Học", "Hùng",
        "Huy", "Hưng", "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Lộc", "Long", "Luân", "Mạnh",
        "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Phương", "Quân", "Quang", "Quý",
        "Sơn", "Tài", "Tâm", "Thái", "Thắng", "Thành", "Thiện", "Thịnh", "Thông", "Toàn",
        "Trí", "Trung", "Trường", "Tuấn", "Tú", "Tùng", "Văn", "Việt", "Vinh", "Vũ", "Xuân",
    ],
    "female": [
        "An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà",
        "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Huyền", "Hương", "Lan", "Liên",
        "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nguyệt", "Nhung", "Oanh",
        "Phượng", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thoa", "Thu", "Thủy", "Thư",
        "Thúy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến",
    ],
}  # fmt: skip

# Syllables that make plausible Sino-Vietnamese place names (An Bình, Phú Lộc, Tân Tiến…).
PLACE_FIRST = [
    "An", "Bình", "Cẩm", "Đại", "Đông", "Hòa", "Hưng", "Hồng", "Kim", "Lạc", "Minh", "Nam",
    "Nghĩa", "Phú", "Phúc", "Quang", "Tân", "Thạch", "Thanh", "Thiện", "Trung", "Vĩnh",
    "Xuân", "Yên", "Long", "Mỹ", "Hải", "Sơn", "Gia", "Đức", "Cao", "Định", "Khánh",
]  # fmt: skip
PLACE_SECOND = [
    "Bình", "Hòa", "Lộc", "Thịnh", "Phú", "Sơn", "Thành", "Hưng", "Lâm", "Tiến", "Phong",
    "Khê", "Xuyên", "Mỹ", "Lợi", "Trạch", "Điền", "Hải", "Thuận", "Lạc", "Đông", "Tây",
    "Nam", "Bắc", "Quang", "Long", "Hà", "Dương", "Yên", "Ninh", "Giang", "Châu",
]  # fmt: skip
