"""The official forms, one module each, and the pipeline that makes their documents.

A form module holds: TITLE, TEMPLATE (file in templates_docx/), context(data, settings),
blank_context(settings), metadata(data) and check(data) (the rules' suggestions and warnings).
"""
