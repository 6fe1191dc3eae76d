"""The server's entry point: `gunicorn wsgi:app` (`make run`, deploy/phieu.service).

A server converts forms, so its LibreOffice engine starts now, in the background, rather than at
the first request (PHIEU_CONVERT_WARM_START=false: at the first request). The `flask` commands
load app.py alone and start no LibreOffice unless they convert.
"""

from app import create_app

app = create_app()
if app.config["CONVERT_WARM_START"]:
    app.extensions["converter"].start()
