"""The domain: the guidance's forms, vocabularies and rules, with no Flask, database or LibreOffice.

A form module holds: TITLE, TEMPLATE (file in templates_docx/), context(data, settings),
blank_context(settings), metadata(data) and check(data) (the rules' suggestions and warnings).
`FORMS` maps each form's slug (the API's path) to its module.
"""

from forms import phieu_01, tong_hop

FORMS = {"phieu-01": phieu_01, "tong-hop": tong_hop}
