"""The guidance's closed vocabularies: each slug the API takes, and the label the form prints.

Dicts keep the guidance's order (best first), which the rules and the web form rely on.
"""

# Monthly rating (xếp loại tháng), footnote 6 of Phiếu 01.
MONTHLY_RATINGS = {
    "hoan_thanh_xuat_sac": "Hoàn thành xuất sắc nhiệm vụ",
    "hoan_thanh_tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

# Identification result (kết quả đánh giá, nhận diện biểu hiện), section II.4 and footnote 7.
IDENTIFICATION_RATINGS = {
    "tot": "Tốt",
    "trung_binh": "Trung bình",
    "kem": "Kém",
}

# Per-item identification (nhận diện biểu hiện), footnote 4. The last three are completed by
# the content the sign concerns ("… ở nội dung …"), given as the item's `detail`.
IDENTIFICATION_LEVELS = {
    "khong_co": "Không có biểu hiện",
    "chua_ro": "Có biểu hiện nhưng chưa rõ ở nội dung",
    "khong_thuong_xuyen": "Có biểu hiện nhưng không thường xuyên ở nội dung",
    "thuong_xuyen": "Có biểu hiện thường xuyên ở nội dung",
}
NO_SIGN = "khong_co"

# Whether a shown sign was remedied in time: what separates Trung bình from Kém (II.4).
REMEDY_STATUSES = {
    "fixed_in_time": "Đã khắc phục kịp thời",
    "not_fixed": "Chưa khắc phục",
}

# Phiếu 01's sections: JSON key → (number printed in the TT column, title in the guidance).
SECTIONS = {
    "political": (
        "I",
        "Nhóm tiêu chí về chính trị tư tưởng, đạo đức, lối sống, tác phong lề lối làm việc, "
        "ý thức tổ chức kỷ luật",
    ),
    "competence": ("II.1.", "Năng lực và kỹ năng"),
    "tasks": (
        "II.2",  # as the guidance prints it, without the full stop II.1. has
        "Thực hiện nhiệm vụ theo kế hoạch, lịch công tác và các nhiệm vụ đột xuất đảm bảo "
        "tiến độ, chất lượng",
    ),
    "prior_shortcomings": ("III", "Việc thực hiện những tồn tại, hạn chế đã được chỉ ra"),
    "other": ("IV", "Những nội dung khác do cấp có thẩm quyền chỉ ra"),
}
# Group II has a title row of its own above II.1 and II.2, with no items directly under it.
GROUP_II = ("II", "Nhóm tiêu chí kết quả thực hiện chức trách, nhiệm vụ được giao trong tháng")

# Why a person owes no Phiếu 01 for a month, as the competent level records it (II.3.1, Lưu ý 3:
# «Trừ trường hợp do yếu tố khách quan, bất khả kháng như: Do đau ốm, nghỉ phép, nghỉ thai sản…»).
EXCUSE_REASONS = {
    "om_dau": "Đau ốm",
    "nghi_phep": "Nghỉ phép",
    "thai_san": "Nghỉ thai sản",
    "khac": "Lý do khách quan, bất khả kháng khác",
}
