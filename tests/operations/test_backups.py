"""`manage.py backup` and `manage.py restore`: back up, change, restore, find the old state."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from operations import backups
from participants.models import Municipality, Person
from tests.factories import PersonFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "plan").mkdir(parents=True)
    (settings.MEDIA_ROOT / "plan" / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence")
    return settings.MEDIA_ROOT


# On PostgreSQL `backup` prints the pg_dump commands instead (tested at the end of this module).
ON_SQLITE = pytest.mark.skipif(connection.vendor != "sqlite",
                               reason="manage.py backup copies an SQLite database file")


@ON_SQLITE
@pytest.mark.django_db(transaction=True)
def test_backup_then_changes_then_restore_brings_back_the_backed_up_state(tmp_path, media):
    municipality = Municipality.objects.create(name="Ханкайский муниципальный округ")
    kept = PersonFactory(municipality=municipality, last_name="Иванова")

    call_command("backup", dir=str(tmp_path / "backups"))
    [copy] = (tmp_path / "backups").iterdir()
    assert {p.name for p in copy.iterdir()} == {backups.DATABASE_FILE, backups.MEDIA_FILE}

    # After the backup: a person renamed, one added, one upload replaced, one added.
    Person.objects.filter(pk=kept.pk).update(last_name="Петрова")
    PersonFactory(municipality=municipality, last_name="Сидорова")
    (media / "plan" / "evidence.pdf").write_bytes(b"changed")
    (media / "plan" / "later.pdf").write_bytes(b"later")

    call_command("restore", str(copy), yes=True)

    assert list(Person.objects.values_list("last_name", flat=True)) == ["Иванова"]
    assert (media / "plan" / "evidence.pdf").read_bytes() == b"%PDF-1.4 evidence"
    assert not (media / "plan" / "later.pdf").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_without_confirmation_and_a_damaged_copy(tmp_path, media):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path), yes=False)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / backups.DATABASE_FILE).write_bytes(b"not a database at all" * 100)

    with pytest.raises(CommandError):
        call_command("restore", str(broken), yes=True)

    assert Municipality.objects.model._meta.db_table  # the live database is still usable
    Municipality.objects.create(name="Проверка")


def test_pg_commands_name_the_database_and_never_the_password():
    dump, restore = backups.pg_commands({"NAME": "mentoring", "USER": "mentoring",
                                         "HOST": "db.local", "PORT": "5433",
                                         "PASSWORD": "hunter2"})

    assert dump == "pg_dump -h db.local -p 5433 -U mentoring -Fc -f backup.dump mentoring"
    assert restore.startswith("pg_restore -h db.local -p 5433 -U mentoring --clean")
    assert "hunter2" not in dump + restore


def test_backup_on_postgresql_prints_pg_dump_instead_of_copying(db, monkeypatch, capsys,
                                                               tmp_path):
    monkeypatch.setattr(backups, "is_sqlite", lambda: False)

    call_command("backup", dir=str(tmp_path))

    assert "pg_dump" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
