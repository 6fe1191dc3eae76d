"""The LibreOffice engine: warm soffice workers behind one Converter (engine.py) that turns DOCX
into PDF. It knows nothing of forms: the rules a layout must keep are given to it."""
