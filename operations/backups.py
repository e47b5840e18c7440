"""Backups of the database and the uploaded files, and their restore.

SQLite: the online backup API (a consistent copy while the site runs, WAL included), checked
with `PRAGMA integrity_check`. PostgreSQL: `pg_dump -Fc` / `pg_restore`, which this module
only spells out (README «Резервные копии»): the database server owns that job.
Uploaded files (MEDIA_ROOT: evidence of plan items) go into a tar beside the database copy.
"""

import re
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

DATABASE_FILE = "db.sqlite3"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Russian, for the operator."""


def is_sqlite():
    return connection.vendor == "sqlite"


def pg_commands(db=None, target="backup.dump"):
    """The pg_dump and pg_restore lines for this installation's database (no password)."""
    db = db or connection.settings_dict
    where = (f"-h {db.get('HOST') or 'localhost'} -p {db.get('PORT') or 5432} "
             f"-U {db.get('USER') or 'mentoring'}")
    return (f"pg_dump {where} -Fc -f {target} {db['NAME']}",
            f"pg_restore {where} --clean --if-exists --no-owner -d {db['NAME']} {target}")


def _regexp(pattern, value):
    return value is not None and re.search(pattern, str(value)) is not None


def _check(path):
    copy = sqlite3.connect(path)
    # CHECK constraints of ours use REGEXP, which Django registers on its own connections.
    copy.create_function("REGEXP", 2, _regexp, deterministic=True)
    try:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    finally:
        copy.close()
    if verdict != "ok":
        raise BackupError(f"Копия базы повреждена: {verdict}")


def backup(directory=None):
    """Write `<directory>/backup-<time>/` with the database copy and the uploads; its path."""
    if not is_sqlite():
        raise BackupError("База — PostgreSQL: копию делает pg_dump (см. README).")
    root = Path(directory or settings.BASE_DIR / "var" / "backups")
    target = root / f"backup-{timezone.now():%Y%m%d-%H%M%S}"
    target.mkdir(parents=True, exist_ok=False)
    connection.ensure_connection()
    with sqlite3.connect(target / DATABASE_FILE) as copy:
        connection.connection.backup(copy)
    copy.close()
    _check(target / DATABASE_FILE)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        with tarfile.open(target / MEDIA_FILE, "w:gz") as archive:
            archive.add(media, arcname="media")
    return target


def restore(source):
    """Replace the database (and the uploads, if the backup has them) with a backup's."""
    if not is_sqlite():
        raise BackupError("База — PostgreSQL: восстановление — pg_restore (см. README).")
    source = Path(source)
    database = source / DATABASE_FILE if source.is_dir() else source
    if not database.is_file():
        raise BackupError(f"Нет файла копии базы: {database}")
    _check(database)
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Восстановление нельзя выполнять внутри транзакции.")
    with sqlite3.connect(database) as copy:
        copy.backup(connection.connection)
    copy.close()
    archive = source / MEDIA_FILE if source.is_dir() else None
    if archive and archive.is_file():
        _restore_media(archive, Path(settings.MEDIA_ROOT))


def _restore_media(archive, media):
    with tempfile.TemporaryDirectory(dir=media.parent if media.parent.exists() else None) as tmp:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        if media.exists():
            shutil.rmtree(media)
        shutil.move(Path(tmp) / "media", media)
