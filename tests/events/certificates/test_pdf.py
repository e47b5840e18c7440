import shutil
import subprocess

import pytest

from events.certificates import services
from events.certificates.pdf import certificates_pdf, certificates_zip
from events.reports import builder
from tests.events.certificates.conftest import attend
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftotext") is None,
                                 reason="pdftotext (poppler-utils) is not installed")]

A4_POINTS = "595.276 x 841.89 pts (A4)"


def _pdf(content, tmp_path, tool, *args):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          check=True, capture_output=True, text=True).stdout


def test_pdf_says_in_russian_to_whom_what_and_how_many_hours_on_a4(maria, held, track,
                                                                   tmp_path):
    attend(maria, held)
    certificate = services.issue(maria, track=track)

    content = certificates_pdf([certificate])

    text = " ".join(_pdf(content, tmp_path, "pdftotext").split())
    assert "СЕРТИФИКАТ" in text
    assert "Настоящий сертификат выдан Ивановой Марии Петровне" in text
    assert "Анализ современного урока" in text
    assert "7,5 академического часа" in text
    assert "посещено мероприятий: 4" in text
    # A code wrapped at one of its hyphens comes out of pdftotext without that hyphen.
    assert certificate.printed_code.replace("-", "") in text.replace(" ", "").replace("-", "")
    assert A4_POINTS in _pdf(content, tmp_path, "pdfinfo")


def test_batch_pdf_has_a_page_per_certificate(municipality, held, track, tmp_path):
    for name in ("Астахова", "Борисов", "Волкова"):
        attend(PersonFactory(municipality=municipality, last_name=name), held)
    certificates = services.issue_batch(track=track)

    info = _pdf(certificates_pdf(certificates), tmp_path, "pdfinfo")

    assert "Pages:           3" in info


def test_zip_holds_one_pdf_per_certificate(municipality, held, track):
    import io
    import zipfile

    for name in ("Астахова", "Борисов"):
        attend(PersonFactory(municipality=municipality, last_name=name), held)
    certificates = services.issue_batch(track=track)

    archive = zipfile.ZipFile(io.BytesIO(certificates_zip(certificates)))

    assert sorted(archive.namelist()) == ["certificate-1.pdf", "certificate-2.pdf"]
    assert archive.read("certificate-1.pdf").startswith(b"%PDF")


def test_hostile_name_is_printed_as_text_not_markup(municipality, held, track, tmp_path):
    person = PersonFactory(municipality=municipality, last_name="<b>Иванова</b> & =HYPERLINK(1)",
                           first_name="Мария 😀", patronymic="")
    attend(person, held)

    text = _pdf(certificates_pdf([services.issue(person, track=track)]), tmp_path, "pdftotext")

    assert "<b>Иванова</b> & =HYPERLINK(1)" in text


def test_certificate_and_reports_name_the_department_the_curator_keeps(municipality, maria,
                                                                        held, track, tmp_path):
    municipality.department = "Управление образования администрации Ханкайского округа"
    municipality.save()
    attend(maria, held)
    certificate = services.issue(maria, track=track)
    text = " ".join(_pdf(certificates_pdf([certificate]), tmp_path, "pdftotext").split())
    assert "Управление образования администрации Ханкайского округа" in text
    assert builder.series_report(track.program).department == municipality.department
    assert builder.person_report(maria).department == municipality.department
