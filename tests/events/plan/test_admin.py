"""The plan in the admin: a curator uploads a table, reads the preview, applies it; items are
scoped to the curator's municipality and written through the services."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from events.plan.models import PlanImport, PlanItem
from tests.events.plan import spassky
from tests.factories import MunicipalityFactory, ProgramFactory


@pytest.fixture
def admin_client_of(spassky_curator):
    client = Client()
    client.force_login(spassky_curator)
    return client


def test_curator_uploads_previews_and_applies_a_plan(admin_client_of, spassky_program,
                                                     spassky_people):
    upload = SimpleUploadedFile("plan.docx", spassky.docx_bytes())

    response = admin_client_of.post(reverse("admin:events_planimport_add"),
                                    {"program": spassky_program.pk, "file": upload})

    assert response.status_code == 302, response.content.decode()[:2000]
    preview = admin_client_of.get(response.headers["Location"])
    page = preview.content.decode()
    assert "до 15.09.2022" in page and "Король О.В." in page
    assert "<em>Кузьменко Е.А.</em>" in page  # not in the registry: kept as text
    # One preview page for every import that is applied whole (the roster's too).
    assert "admin/import_preview.html" in [t.name for t in preview.templates]
    assert "(Asia/Vladivostok)" in page  # the upload's times in the municipality's zone
    assert not PlanItem.objects.exists()
    stored = PlanImport.objects.get()
    applied = admin_client_of.post(reverse("admin:events_planimport_apply", args=[stored.pk]),
                                   follow=True)
    assert "План загружен: создано 16, обновлено 0, без изменений 0." in applied.content.decode()
    assert PlanItem.objects.filter(program=spassky_program).count() == 16


def test_broken_plan_preview_lists_rows_and_offers_no_apply(admin_client_of, spassky_program):
    upload = SimpleUploadedFile("plan.csv", spassky.csv_bytes([("1", "Форум", "31.02.2023", "")]))

    response = admin_client_of.post(reverse("admin:events_planimport_add"),
                                    {"program": spassky_program.pk, "file": upload}, follow=True)

    page = response.content.decode()
    assert "Срок «31.02.2023»: такой даты нет." in page
    assert 'name="apply"' not in page


def test_curator_cannot_choose_another_municipalitys_program(admin_client_of, spassky_program):
    foreign = ProgramFactory(municipality=MunicipalityFactory(name="Другой район"))

    response = admin_client_of.post(reverse("admin:events_planimport_add"), {
        "program": foreign.pk, "file": SimpleUploadedFile("plan.docx", spassky.docx_bytes())})

    assert response.status_code == 200  # the form again, with the choice refused
    assert not PlanImport.objects.exists()


def test_item_saved_in_the_admin_goes_through_the_service(admin_client_of, spassky_program,
                                                          spassky_people):
    data = {
        "program": spassky_program.pk, "title": "Мониторинг реализации методологии",
        "number": 4, "period_kind": "month", "starts_on": "2022-10-20", "status": "planned",
        "responsibles-TOTAL_FORMS": 2, "responsibles-INITIAL_FORMS": 0,
        "responsibles-0-position": 0, "responsibles-0-person": spassky_people["Буглак"].pk,
        "responsibles-1-position": 1, "responsibles-1-text": "МК",
    }

    response = admin_client_of.post(reverse("admin:events_planitem_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    item = PlanItem.objects.get()
    # The service made the month whole and wrote both kinds of responsible.
    assert (item.starts_on, item.ends_on) == (datetime.date(2022, 10, 1),
                                              datetime.date(2022, 10, 31))
    assert [r.name for r in item.responsibles.all()] == ["Буглак С.Г.", "МК"]


def test_other_municipalitys_item_is_not_found_in_the_admin(admin_client_of, db):
    foreign = PlanItem.objects.create(
        program=ProgramFactory(municipality=MunicipalityFactory(name="Другой район")),
        title="Чужой пункт", period_kind="whole")

    response = admin_client_of.get(reverse("admin:events_planitem_change", args=[foreign.pk]))

    assert response.status_code == 302  # Django's "doesn't exist" redirect to the index
    assert admin_client_of.get(reverse("admin:events_planitem_changelist")).context[
        "cl"].result_count == 0


# --- the command ---------------------------------------------------------------------------

def test_command_dry_run_writes_nothing_then_imports(spassky_program, spassky_people, tmp_path,
                                                     capsys):
    path = tmp_path / "plan.docx"
    path.write_bytes(spassky.docx_bytes())

    call_command("import_plan", str(path), "--program", str(spassky_program.pk), "--dry-run")
    assert not PlanItem.objects.exists()
    call_command("import_plan", str(path), "--program", str(spassky_program.pk))
    call_command("import_plan", str(path), "--program", str(spassky_program.pk))

    out = capsys.readouterr().out
    assert "Будет: создать 16, изменить 0, без изменений 0, строк с ошибками 0." in out
    assert "Сделано: создать 0, изменить 0, без изменений 16" in out
    assert PlanItem.objects.count() == 16


def test_command_refuses_a_broken_table_with_rows(spassky_program, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(spassky.xlsx_bytes([("1", "Форум", "до завтра", "МК")]))

    with pytest.raises(CommandError, match="ничего не записано"):
        call_command("import_plan", str(path), "--program", str(spassky_program.pk))

    assert "строка 3: Срок «до завтра» не распознан: непонятно «завтра»." in capsys.readouterr().err
