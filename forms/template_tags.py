"""The tags a form's Word template may hold, what each prints, and which it must hold: what a
secretariat's template is checked against (documents/template_check.py) and what
docs/TEMPLATES.md lists.

A tag is a path into the form's context (forms/phieu_01.py, forms/tong_hop.py): "person_name", or
"rows[].full_name" for a field of each element of the list "rows", which the template reads inside
its row loop (`{%tr for row in rows %}` … `{{ row.full_name }}` … `{%tr endfor %}`).
"""

from dataclasses import dataclass

from forms.tong_hop_columns import MARKS, TEXTS
from forms.vocab import SECTIONS


@dataclass(frozen=True)
class Tag:
    path: str  # in the context; "[]" stands for each element of a list
    written: str  # as the template writes it, in its loop
    meaning: str  # Vietnamese
    required: bool = True


HEADER = (
    Tag("issuer_parent", "{{ issuer_parent }}", "Cơ quan cấp trên (in hoa), có thể trống", False),
    Tag("issuer_unit", "{{ issuer_unit }}", "Tên đơn vị (in hoa)"),
    Tag("date_line", "{{ date_line }}", "Địa danh, ngày tháng năm"),
    Tag("month_line", "{{ month_line }}", "Tháng đánh giá (tháng/năm)"),
    Tag("head_name", "{{ head_name }}", "Họ tên thủ trưởng đơn vị (người ký)"),
)
_ASSESSMENT = (("result", "kết quả"), ("cause", "nguyên nhân"),
               ("identification", "nhận diện biểu hiện"), ("remedy", "biện pháp khắc phục"))


def _item_tags(section):
    each, number = f"sections.{section}[]", SECTIONS[section][0].rstrip(".")
    return (
        Tag(f"sections.{section}", f"{{%tr for item in sections.{section} %}}",
            f"Vòng lặp các dòng của mục {number}"),
        Tag(f"{each}.content", "{{ item.content }}", f"Nội dung, mục {number}"),
        *(Tag(f"{each}.{who}.{key}", f"{{{{ item.{who}.{key} }}}}",
              f"{whose}: {label}, mục {number}")
          for who, whose in (("self", "Tự đánh giá"), ("authority", "Cấp có thẩm quyền"))
          for key, label in _ASSESSMENT),
        Tag(f"{each}.note", "{{ item.note }}", f"Ghi chú, mục {number}"),
        Tag(f"{each}.whole", "{{ item.whole }}",
            f"Giữ dòng trên một trang (thuộc tính của hàng, tự đặt khi cài), mục {number}"),
    )


PHIEU_01 = (
    *HEADER,
    Tag("person_name", "{{ person_name }}", "Họ và tên người được đánh giá"),
    Tag("position", "{{ position }}", "Chức vụ, có thể trống", False),
    Tag("unit_name", "{{ unit_name }}", "Đơn vị"),
    *(tag for section in SECTIONS for tag in _item_tags(section)),
    Tag("monthly_rating", "{{ monthly_rating }}", "Kết quả đánh giá, xếp loại tháng"),
    Tag("identification_rating", "{{ identification_rating }}",
        "Mức đánh giá, nhận diện biểu hiện"),
    Tag("signer_name", "{{ signer_name }}", "Họ tên người thực hiện (ký)"),
)

TONG_HOP = (
    *HEADER,
    Tag("rows", "{%tr for row in rows %}", "Vòng lặp các dòng, mỗi người một dòng"),
    *(Tag(f"rows[].{column.key}", f"{{{{ row.{column.key} }}}}", column.title)
      for column in TEXTS),
    *(Tag(f"rows[].marks.{column.key}", f"{{{{ row.marks.{column.key} }}}}",
          f"Dấu X ở cột «{column.title}»") for column in MARKS),
    Tag("rows[].whole", "{{ row.whole }}",
        "Giữ dòng trên một trang (thuộc tính của hàng, tự đặt khi cài)"),
    *(Tag(f"totals.{column.key}", f"{{{{ totals.{column.key} }}}}",
          f"Dòng «Cộng»: số người ở cột «{column.title}»") for column in MARKS),
)

TAGS = {"phieu-01": PHIEU_01, "tong-hop": TONG_HOP}
# The lists the row loops go over: each must be a table row's loop ({%tr for %}) in the table
# whose head repeats on every page.
ROW_LOOPS = {"phieu-01": tuple(f"sections.{section}" for section in SECTIONS),
             "tong-hop": ("rows",)}
