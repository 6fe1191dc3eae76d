"""The fixed wording of the forms, as the guidance prints it.

Obvious slips of the guidance's text are corrected here, each marked with a comment.
"""

PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"  # the seed's first form misspells it "CÔNG"

PHIEU_01_TITLE = "PHIẾU ĐÁNH GIÁ, NHẬN DIỆN"
PHIEU_01_SUBTITLE = "(Đối với cá nhân)"
TONG_HOP_TITLE = "PHIẾU TỔNG HỢP ĐÁNH GIÁ, NHẬN DIỆN"

# Phiếu 01's table head. A number after a label is the footnote it carries.
SELF_BLOCK = "Cá nhân tự đánh giá"
AUTHORITY_BLOCK = "Cấp có thẩm quyền đánh giá"
ASSESSMENT_COLUMNS = (
    "Đánh giá kết quả thực hiện",
    "Nguyên nhân",
    "Nhận diện biểu hiện",
    "Phương hướng, giải pháp khắc phục",  # the guidance's first page has "khác phục"
)

MONTHLY_RATING_LINE = "- Kết quả đánh giá, xếp loại tháng"
IDENTIFICATION_RATING_LINE = "- Kết quả đánh giá, nhận diện biểu hiện"

HEAD_CONFIRMATION = "XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ"
PERSON_SIGNATURE = "NGƯỜI THỰC HIỆN"
SIGN_HINT = "(Ký và ghi rõ họ, tên)"
UNIT_HEAD_SIGNATURE = "THỦ TRƯỞNG ĐƠN VỊ"
UNIT_HEAD_SIGN_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"

# The tổng hợp's column titles are in its column table, forms/tong_hop_columns.py.
TONG_HOP_TOTAL = "Cộng"

ARCHIVE_CODE_LABEL = "Mã lưu trữ"  # an archived form's footer: "Mã lưu trữ: 7K3Q-X9MD"

# Footnotes 2–7 of Phiếu 01, numbered as in the guidance (its footnote 1 is in its own text).
FOOTNOTES = {
    2: [
        "Căn cứ các nội dung đã được xây dựng theo các nhóm tiêu chí nêu tại phiếu đánh giá, "
        "xếp loại hằng tháng ban hành kèm theo Quyết định số 1841-QĐ/TU, cá nhân tự đánh giá, "
        "đưa ra những nội dung còn tồn tại, hạn chế, chưa thực hiện tốt hoặc còn để chậm trễ, "
        "kéo dài (những nội dung đã đạt điểm tối đa không cần đưa vào phiếu)",
    ],
    # The guidance has "Nếu rõ", a slip for "Nêu rõ".
    3: ["Nêu rõ thời gian chậm trễ, biểu hiện vi phạm, mặt chưa được"],
    4: [
        # The guidance has "Chi thị", a slip for "Chỉ thị".
        "Đối chiếu với các biểu hiện nhận diện tại Chỉ thị 24-CT/TU đề nghị nêu rõ nội dung, "
        "và mức độ đánh giá, nhận diện cụ thể như sau:",
        "- Không có biểu hiện",
        "- Có biểu hiện nhưng chưa rõ ở nội dung....",
        "- Có biểu hiện nhưng không thường xuyên ở nội dung....",
        "- Có biểu hiện thường xuyên ở nội dung....",
    ],
    5: [
        "Đề nghị đánh giá rõ:",
        "- Tiến độ, kết quả thực hiện; có bao nhiêu nhiệm vụ theo kế hoạch nhưng không hoàn "
        "thành, nguyên nhân; có chủ động khắc phục hay không",
        "- Phối hợp thực hiện bao nhiêu nhiệm vụ, có chậm muộn hay không, nguyên nhân, trách "
        "nhiệm cá nhân đến đâu",
        "- Mức độ chủ động giải quyết công việc của bản thân? Mức độ chủ động phối hợp giải "
        "quyết công việc",
        "- Việc tham mưu giải quyết thủ tục hành chính có đảm bảo đúng quy trình quy định, có "
        "bao nhiêu thủ tục chậm, muộn, không đúng quy trình, nguyên nhân, biện pháp khắc phục",
    ],
    # The guidance ends with "không thành công", a slip for "không hoàn thành".
    6: ["Xếp loại ở 4 mức độ: Hoàn thành xuất sắc, hoàn thành tốt, hoàn thành, không hoàn thành"],
    7: ["Xếp loại ở 3 mức độ: Tốt, Trung bình, Kém"],
}

# The year-end results (II.7), built from the archived Phiếu 01s.
YEAR_END_TITLE = "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, NHẬN DIỆN BIỂU HIỆN VI PHẠM"
YEAR_END_SUBTITLE = ("(Theo mục II.7 Hướng dẫn đánh giá, nhận diện các biểu hiện vi phạm theo "
                     "Chỉ thị số 24-CT/TU)")
YEAR_END_MONTHS_HEAD = "Kết quả đánh giá, nhận diện biểu hiện từng tháng"
YEAR_END_COLUMNS = ("TT", "Họ và tên")
YEAR_END_COUNTS_HEAD = "Số tháng"
YEAR_END_COUNT_COLUMNS = ("Kém", "TB")
YEAR_END_CONSEQUENCE = "Hệ quả đối với xếp loại năm (mục II.7)"
YEAR_END_LEGEND = (
    "Ghi chú: Tốt, TB (Trung bình), Kém: kết quả đánh giá, nhận diện biểu hiện của tháng theo "
    "Phiếu số 01 đã lưu; «—»: không có Phiếu số 01 (mục II.3.1, Lưu ý: tháng đó được đánh giá "
    "Không hoàn thành nhiệm vụ, gắn với các biểu hiện vi phạm liên quan; tính như một tháng Kém); "
    "«V»: vắng có lý do được cấp có thẩm quyền ghi nhận (ốm đau, nghỉ phép, nghỉ thai sản…; không "
    "tính); «?»: Phiếu số 01 chưa ghi kết quả nhận diện; ô trống: trước khi áp dụng Hướng dẫn "
    "(mục III.1), chưa đến hạn tự đánh giá, hoặc không có trong danh sách cán bộ của đơn vị vào "
    "hạn đó (không tính)."
)
YEAR_END_RULE = (
    "Mục II.7: có từ 02 đến 3 tháng Kém, xếp loại năm không vượt quá mức Hoàn thành nhiệm vụ; "
    "có từ 3 tháng Kém trở lên hoặc từ 06 tháng Trung bình trở xuống, xếp loại năm ở mức Không "
    "hoàn thành nhiệm vụ, cấp có thẩm quyền xem xét thay thế, điều chuyển sang vị trí công tác "
    "khác hoặc chấm dứt hợp đồng lao động (đối với lao động hợp đồng)."
)

# The Chỉ thị 24 section of a periodic report (II.8).
PERIODIC_SUBTITLE = ("Kết quả thực hiện đánh giá, nhận diện các biểu hiện vi phạm theo Chỉ thị "
                     "số 24-CT/TU")
PERIODIC_MONTHS_HEADING = "1. Kết quả đánh giá, nhận diện biểu hiện theo tháng"
PERIODIC_UNITS_HEADING = "2. Kết quả theo đơn vị (cộng các tháng trong kỳ, lượt người)"
PERIODIC_COUNT_COLUMNS = ("Số người", "Tốt", "Trung bình", "Kém", "Chưa đánh giá, nhận diện",
                          "Ghi chú")
PERIODIC_TOTAL = "Cộng (lượt người)"
PERIODIC_KEM_COLUMNS = ("TT", "Họ và tên", "Tháng", "Nội dung có biểu hiện, tồn tại",
                        "Biện pháp, kết quả khắc phục")
