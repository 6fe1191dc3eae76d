"""Every layout parameter of the official forms, in one place.

Sources: Nghị định 30/2020/NĐ-CP (paper, margins, page numbers) and HD 36-HD/VPTW (the Party
header). If a newer guidance (HD 05-HD/VPTW, 2026) changes a rule, the change is one edit here,
followed by `make templates`.
"""

FONT = "Times New Roman"  # Liberation Serif, metric-compatible, stands in where it is absent
LANGUAGE = "vi-VN"

# A4 landscape, in millimetres.
PAGE_WIDTH_MM = 297
PAGE_HEIGHT_MM = 210
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10  # the page number sits in the top margin
FOOTER_DISTANCE_MM = 5  # an archived form's stamp sits in the bottom margin
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

# Font sizes, in points.
SIZE_BODY = 14  # lines above and below the tables
SIZE_PARTY_HEADER = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM"
SIZE_ISSUER = 14  # superior body and unit, top left
SIZE_DATE_LINE = 14
SIZE_TITLE = 14
SIZE_TABLE = 11
SIZE_FOOTNOTE = 10
SIZE_PAGE_NUMBER = 13

# An archived form's stamp, right-aligned in every page's footer: "Mã lưu trữ: <code>" and a
# QR code of the code. It must fit in the bottom margin (+1: the text line's descent under the
# QR code), or the body would shrink and the pages break differently from an unarchived copy.
ARCHIVE_QR_MM = 13
SIZE_ARCHIVE_CODE = 9
assert FOOTER_DISTANCE_MM + ARCHIVE_QR_MM + 1 < MARGIN_BOTTOM_MM

# Least height of a table's item row: room to write by hand in an empty one.
ITEM_ROW_MIN_HEIGHT_MM = 7
# A table row is kept on one page unless its text may make it taller than this. LibreOffice splits
# a row that cannot split only when it is taller than a whole page, and cuts off the end of one
# nearly that tall: such rows are let split. The estimate errs towards tall (forms/common.py).
ROW_KEEP_WHOLE_MAX_MM = 70
TABLE_CHAR_MM = 1.9  # a character of the tables' text (Times, SIZE_TABLE), on average, or wider
TABLE_LINE_MM = 5  # a line of the tables' text
TABLE_CELL_PADDING_MM = 4  # left and right margins of a cell, together, or more

# Space given to a hand signature between the signature title and the signer's name.
SIGNATURE_BLANK_LINES = 4

# A table cell's inner margins: room above and below so that no diacritic touches a border.
CELL_PADDING_TOP_MM = 0.4
CELL_PADDING_BOTTOM_MM = 0.6
CELL_PADDING_SIDE_MM = 1.5

# Length of the line under "ĐẢNG CỘNG SẢN VIỆT NAM": the text's width, Liberation Serif bold
# (metric-compatible with Times New Roman), SIZE_PARTY_HEADER, as the PDF prints it
# (tests/test_layout.py).
PARTY_HEADER_TEXT_MM = 72.9
PARTY_HEADER_RULE_SLACK_MM = 1  # the line's extra length, so the text never wraps

# Width of the top block's two columns: issuing body (left) and Party header (right).
HEADER_LEFT_MM = 105
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM

# Column widths of Phiếu 01's table, TT to Ghi chú (11 columns); they sum to TEXT_WIDTH_MM.
# Each assessment block: result, cause, identification, remedy.
# The head's labels take three lines at most (the head is repeated on every page); the content,
# the longest text as a rule, has the widest column.
ASSESSMENT_BLOCK_MM = (24, 20, 23, 26)
PHIEU_01_COLUMNS_MM = (11, 37, *ASSESSMENT_BLOCK_MM, *ASSESSMENT_BLOCK_MM, 18)

# The tổng hợp's column widths are in its column table, forms/tong_hop_columns.py.

assert sum(PHIEU_01_COLUMNS_MM) == TEXT_WIDTH_MM

# What the blank form shows where a value is missing.
DOTS_SHORT = "....."  # a day, a month
DOTS_YEAR = "20...."  # the month line under the title: «Tháng …/20....»
DOTS_DATE_YEAR = "20..."  # the date line: «ngày … tháng … năm 20...»
DOTS_LINE = "." * 70  # a name, a unit

# The year-end results (ket_qua_nam.docx): TT, name, months 1–12, months Kém, months Trung
# bình, the consequence (II.7).
YEAR_END_MONTH_MM = 11
YEAR_END_COLUMNS_MM = (10, 32, *[YEAR_END_MONTH_MM] * 12, 12, 12, 54)
SIZE_YEAR_END_MONTH = 10
SIZE_LEGEND = 11

# The periodic report (bao_cao_dinh_ky.docx): counts per month (or unit) and the people Kém.
PERIODIC_COUNT_COLUMNS_MM = (38, 22, 22, 22, 22, 32, 94)
PERIODIC_KEM_COLUMNS_MM = (10, 48, 20, 104, 70)
SIZE_HEADING = 13

assert sum(YEAR_END_COLUMNS_MM) == TEXT_WIDTH_MM
assert sum(PERIODIC_COUNT_COLUMNS_MM) == TEXT_WIDTH_MM
assert sum(PERIODIC_KEM_COLUMNS_MM) == TEXT_WIDTH_MM

CELL_MAX = 2000  # characters in one table cell: a long paragraph, still far less than a page
NAME_MAX = 200  # characters in a person's name
