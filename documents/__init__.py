"""Documents made from the forms: docxtpl rendering (render.py), the one way from data to a file
(make.py), several forms composed into one DOCX (compose.py), the print packet (packet.py) and the
pagination rules checked on LibreOffice's layout (pagination.py)."""
