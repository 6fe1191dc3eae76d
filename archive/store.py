"""The archive's files, content-addressed: a file's name is its SHA-256, so a stored file is never
rewritten and two records holding the same bytes share one file.

A file appears under its name only once it is complete and on disk: it is written to a temporary
file in the same directory tree, fsynced, then renamed (atomic on POSIX), and the directory is
fsynced so the rename itself survives a power cut. A full or read-only disk raises StoreError and
leaves no partial file behind.
"""

import hashlib
import os
import tempfile
from pathlib import Path


class StoreError(Exception):
    message = ("Không ghi được tệp vào kho lưu trữ (ổ đĩa đầy hoặc không cho ghi); phiếu chưa được "
               "phát hành, hãy thử lại sau hoặc báo quản trị viên.")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class FileStore:
    def __init__(self, root):
        self.root = Path(root)

    def path(self, digest):
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, data):
        """Stores `data`; returns its SHA-256 (hex)."""
        digest = sha256(data)
        target = self.path(digest)
        if target.exists() and self.check(digest) == "ok":
            return digest
        temporary = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
            temporary = None
            _fsync_directory(target.parent)
        except OSError as error:
            raise StoreError(str(error)) from error
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        return digest

    def get(self, digest):
        return self.path(digest).read_bytes()

    def check(self, digest):
        """"ok", "missing" or "corrupt" (the bytes no longer hash to their name)."""
        path = self.path(digest)
        if not path.is_file():
            return "missing"
        hasher = hashlib.sha256()
        with path.open("rb") as stored:
            for block in iter(lambda: stored.read(1 << 20), b""):
                hasher.update(block)
        return "ok" if hasher.hexdigest() == digest else "corrupt"

    def digests(self):
        """Every stored file's name (leftover temporary files are not listed)."""
        for path in self.root.glob("??/??/*"):
            if not path.name.startswith(".tmp-"):
                yield path.name


    def leftovers(self):
        """Temporary files a write interrupted by a kill left behind (never read: a file is
        only ever read under its digest, after its rename)."""
        return self.root.glob("??/??/.tmp-*")


def _fsync_directory(directory):
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
