"""The benchmarks: `make bench` (docs/BENCHMARKS.md)."""

import time

from app import create_app


def warm_app(work, workers, **config):
    """The service's app with its archive in `work`, its LibreOffice workers started and idle;
    rendering open and unlimited (a benchmark sends hundreds of forms from one client)."""
    app = create_app({"WORK_DIR": work, "CONVERT_WORKERS": workers,
                      "ALLOW_ANONYMOUS_RENDER": True, "RENDER_RATE_LIMIT": "",
                      "RENDER_CONCURRENCY": 0,
                      "DATABASE_URL": f"sqlite:///{work}/archive.sqlite3",
                      "DATA_DIR": f"{work}/files", **config})
    converter = app.extensions["converter"]
    converter.start()  # as wsgi.py does for the server
    while not converter.status()["ready"] or any(
            w["state"] != "idle" for w in converter.status()["workers"]):
        time.sleep(0.05)
    return app
