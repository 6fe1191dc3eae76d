"""The archive: every issued form kept (input JSON, DOCX, PDF/A, their hashes, who and when),
versioned, readable by its own unit and the secretariat, checkable against its files.

`init_app` wires it into the Flask app: the database (upgraded to the current schema on start
unless DATABASE_AUTO_UPGRADE is off) and the file store. Its command-line tools are in
commands/admin.py.
"""

import os

from archive import db
from archive.store import FileStore


def init_app(app):
    instance = app.instance_path
    url = app.config["DATABASE_URL"] or f"sqlite:///{os.path.join(instance, 'phieu.sqlite3')}"
    data_dir = app.config["DATA_DIR"] or os.path.join(instance, "files")
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(os.path.abspath(url.removeprefix("sqlite:///"))),
                    exist_ok=True)
    database = app.extensions["database"] = db.Database(url)
    app.extensions["store"] = FileStore(data_dir)
    if app.config["DATABASE_AUTO_UPGRADE"]:
        database.upgrade()
