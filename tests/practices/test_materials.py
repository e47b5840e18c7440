"""Materials of the mentor's case: size and type limits checked before anything is stored."""

import importlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import Invalid
from practices import services
from practices.models import Material

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def stored_files(root):
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def test_a_pdf_is_stored_under_our_name_through_the_storage(practice, mentor, media):
    upload = SimpleUploadedFile("Лист наблюдений <урок>.pdf", PDF, "application/pdf")

    material = services.add_material(practice, by=mentor.user, kind="observation",
                                     title="", upload=upload)

    assert material.title == "Лист наблюдений <урок>.pdf"
    assert material.file_size == len(PDF)
    assert material.file.name.startswith("practices/")
    assert material.file.name.endswith(".pdf") and "Лист" not in material.file.name
    assert [open(p, "rb").read() for p in stored_files(media)] == [PDF]


def test_an_upload_over_the_limit_is_refused_in_russian_and_nothing_is_stored(
        practice, mentor, media, settings):
    settings.PRACTICE_MATERIAL_MAX_MB = 1
    upload = SimpleUploadedFile("видео.pdf", PDF + b"0" * 2**20, "application/pdf")

    with pytest.raises(Invalid, match="больше 1 МБ") as refused:
        services.add_material(practice, by=mentor.user, kind="media", upload=upload)

    assert refused.value.code == "file_too_large"
    assert not Material.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "content"), [
    ("страница.html", b"<html><script>alert(1)</script></html>"),
    ("программа.exe", b"MZ\x90\x00"),
    ("без расширения", PDF),
    ("картинка.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ("переименованный.pdf", b"MZ\x90\x00 not a pdf"),
    ("фото.png", PDF),
])
def test_a_forbidden_or_disguised_type_is_refused_and_nothing_is_stored(
        practice, mentor, media, name, content):
    upload = SimpleUploadedFile(name, content)

    with pytest.raises(Invalid, match="не принимается|не принимаются") as refused:
        services.add_material(practice, by=mentor.user, kind="other", upload=upload)

    assert refused.value.code == "file_type_refused"
    assert not Material.objects.exists()
    assert stored_files(media) == []


def test_a_png_photo_and_a_link_to_a_publication_are_accepted(practice, mentor):
    photo = services.add_material(practice, by=mentor.user, kind="media", title="Открытый урок",
                                  upload=SimpleUploadedFile("урок.PNG", PNG))
    link = services.add_material(practice, by=mentor.user, kind="publication",
                                 url="https://school8.example/news/practice")

    assert photo.file.name.endswith(".png") and link.is_link
    assert link.title == "https://school8.example/news/practice"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "школа",
                                 "https://x.example/" + "a" * 600])
def test_a_link_that_is_not_http_is_refused(practice, mentor, url):
    with pytest.raises(Invalid, match="Ссылка"):
        services.add_material(practice, by=mentor.user, kind="publication", url=url)


def test_either_a_file_or_a_link(practice, mentor):
    with pytest.raises(Invalid, match="что-то одно"):
        services.add_material(practice, by=mentor.user, kind="other",
                              upload=SimpleUploadedFile("a.pdf", PDF), url="https://x.example")


def test_removing_a_material_deletes_its_file_after_commit(
        practice, mentor, media, django_capture_on_commit_callbacks):
    material = services.add_material(practice, by=mentor.user, kind="other",
                                     upload=SimpleUploadedFile("a.pdf", PDF))

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_material(material, by=mentor.user)

    assert stored_files(media) == []


def test_s3_storage_is_chosen_when_a_bucket_is_named(monkeypatch):
    import config.settings as project_settings

    monkeypatch.setenv("S3_BUCKET", "mentoring-files")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://storage.yandexcloud.net")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert reloaded.STORAGES["default"]["OPTIONS"]["bucket_name"] == "mentoring-files"
        assert reloaded.STORAGES["default"]["OPTIONS"]["default_acl"] == "private"
    finally:
        monkeypatch.delenv("S3_BUCKET")
        assert importlib.reload(project_settings).STORAGES["default"]["BACKEND"] == (
            "django.core.files.storage.FileSystemStorage")
