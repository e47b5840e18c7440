"""Demo practices of «Ханкайский муниципальный округ»: the bank in every state a curator meets.

Written through the services, as a mentor and the curator would: a draft, one on review, one
returned with a comment, accepted at the school and the municipal level, one accepted at the
regional level by the superuser `admin` (the regional expert). One author agreed to show her
contacts in the public bank, the others did not. Two small files (a PDF and a PNG) are stored
through the storage API like any upload. A practice is found by its author and theme, so a second
run adds nothing; the letters to the authors are set aside with the other demo letters.
"""

import io
import struct
import zlib
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from config import pdf
from participants import demo_data as data
from participants.models import MentoringGroup, Municipality, Topic
from practices import services
from practices.models import Level, Material, Practice

DRAFT, SUBMITTED, RETURNED = "draft", "submitted", "returned"
G = MentoringGroup
PUBLICATIONS = "https://khanka-edu.example/nastavnichestvo/praktiki/"


@dataclass
class Demo:
    """One practice: its author (the mentor of the demo's pair number `pair`), card and fate."""

    pair: int
    title: str
    topic: str
    note: str
    content: str
    result: str
    years: int
    # DRAFT, SUBMITTED (to the school level), RETURNED, or the highest level accepted.
    state: str
    consent: bool = False
    materials: tuple = ()


PRACTICES = [
    Demo(0, "Урок по обновлённым ФГОС: от замысла до самоанализа",
         "Проектирование современного урока",
         "Цель — адаптация молодого учителя начальных классов. Ролевая модель «опытный учитель — "
         "молодой специалист». Результат: молодой педагог самостоятельно проектирует урок по "
         "технологической карте и анализирует его.",
         "Посещение уроков наставника; совместное проектирование урока по технологической карте; "
         "посещение уроков молодого педагога с анализом по карте наблюдения; открытый урок на "
         "школьном методическом объединении.",
         "Технологические карты уроков, открытый урок молодого педагога, методическая копилка.",
         12, Level.REGIONAL, consent=True,
         materials=(("pdf", Material.Kind.RECOMMENDATIONS, "Памятка «Самоанализ урока»"),
                    ("url", Material.Kind.PUBLICATION, "Публикация на сайте школы"))),
    Demo(1, "Технология групповой работы на уроке: школа молодого учителя",
         "Технология групповой работы",
         "Цель — освоение молодым учителем технологии групповой работы. Ролевая модель «опытный "
         "учитель — молодой специалист». Результат: уроки с групповой работой без потери "
         "дисциплины и времени.",
         "Мастер-классы наставника, совместная разработка заданий для групп, взаимопосещение "
         "уроков, листы взаимооценки учеников.",
         "Банк заданий для групповой работы по предмету.",
         18, Level.MUNICIPAL,
         materials=(("png", Material.Kind.MEDIA, "Схема рассадки групп на уроке"),)),
    Demo(2, "Групповое наставничество: проектирование современного урока",
         "Проектирование современного урока",
         "Цель — помочь группе молодых педагогов спроектировать современный урок. Форма — "
         "групповое наставничество. Результат: каждый участник провёл открытый урок.",
         "Семинары-практикумы, разбор уроков по карте наблюдений, взаимопосещение, рефлексия.",
         "Сборник конспектов открытых уроков молодых педагогов.",
         25, Level.SCHOOL),
    Demo(3, "Цифровые образовательные ресурсы в сельской школе",
         "Использование ЦОР",
         "Цель — научить молодого учителя использовать ЦОР на уроке в условиях сельской школы. "
         "Виртуальное наставничество.",
         "Онлайн-консультации, подборка ЦОР по предмету, совместная разработка урока с ЦОР.",
         "", 9, SUBMITTED),
    Demo(4, "Творческие проекты с учениками как профилактика профессионального выгорания",
         "",
         "Цель — восстановить интерес опытного учителя к профессии. Ролевая модель «опытный "
         "учитель — опытный учитель».",
         "Совместные творческие проекты с учениками, кратковременное наставничество.",
         "", 21, RETURNED),
    Demo(5, "Формирующее оценивание: листы самооценки и взаимооценки",
         "Планируемые результаты как основа оценки",
         "Цель — преодолеть затруднения в оценивании планируемых результатов.",
         "", "", 15, DRAFT),
]
RETURN_COMMENT = ("Опишите результаты практики: что изменилось в работе наставляемого, чем это "
                  "подтверждается (анкеты, листы наблюдений). Приложите материалы кейса.")


@transaction.atomic  # one delivery task for all the letters, as the other demo loaders
def load(stdout=None):
    municipality = Municipality.objects.filter(name=data.MUNICIPALITY).first()
    curator = User.objects.filter(username=data.CURATOR_USERNAME).first()
    expert = User.objects.filter(username="admin", is_superuser=True).first()
    if municipality is None or curator is None or expert is None:
        return
    groups = list(MentoringGroup.objects.filter(municipality=municipality)
                  .select_related("mentor__user").order_by("pk"))
    topics = {t.name: t for t in Topic.objects.all()}
    made = 0
    for demo in PRACTICES:
        if demo.pair >= len(groups):
            continue
        group = groups[demo.pair]
        if Practice.objects.filter(author=group.mentor, title=demo.title).exists():
            continue
        _practice(demo, group, topics, curator=curator, expert=expert)
        made += 1
    if stdout is not None:
        stdout.write(f"Банк практик: {made} новых практик.")


def _practice(demo, group, topics, *, curator, expert):
    author = group.mentor
    topic = topics.get(demo.topic)
    practice = services.create_practice(author, by=curator, data={
        "title": demo.title, "note": demo.note, "content": demo.content, "goal": group.goal,
        "result": demo.result, "form": group.form, "role_model": group.role_model,
        "years_in_position": demo.years, "topic": topic.pk if topic else None})
    practice.mentees.set(group.mentees.all())
    for material in demo.materials:
        _material(practice, material, curator)
    if demo.consent and author.user is not None:
        services.set_contacts_consent(practice, by=author.user, agreed=True)
    if demo.state == DRAFT:
        return practice
    services.submit(practice, by=author.user or curator)
    if demo.state == RETURNED:
        services.return_practice(practice, by=curator, comment=RETURN_COMMENT)
    elif demo.state in Level.values:
        for level in Level.values[:Level.rank(demo.state) + 1]:
            more = level != demo.state
            services.accept(practice, by=expert if level == Level.REGIONAL else curator,
                            forward=more, comment="Рекомендована к распространению." if more
                            else "")
    return practice


def _material(practice, material, by):
    how, kind, title = material
    if how == "url":
        services.add_material(practice, by=by, kind=kind, title=title,
                              url=f"{PUBLICATIONS}{practice.pk}/")
        return
    body = _pdf(title, practice) if how == "pdf" else _png()
    upload = SimpleUploadedFile(f"{title}.{how}", body,
                                content_type="application/pdf" if how == "pdf" else "image/png")
    services.add_material(practice, by=by, kind=kind, title=title, upload=upload)


def _pdf(title, practice):
    """A one-page memo in the reports' Cyrillic font."""
    styles = pdf.styles()
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title).build([
        pdf.text(title, styles["title"]),
        pdf.text(practice.title, styles["heading"]),
        *(pdf.text(line, styles["body"]) for line in (
            "1. Что было задумано: цель урока и планируемые результаты.",
            "2. Что удалось: этапы урока, приёмы, активность учеников.",
            "3. Что не удалось и почему.",
            "4. Что изменю на следующем уроке.")),
    ])
    return out.getvalue()


def _png(width=48, height=32):
    """A small valid PNG (coloured bands: the groups of a classroom) without an image library."""
    colours = [(31, 95, 139), (201, 211, 221), (243, 246, 249), (91, 102, 112)]
    rows = b"".join(b"\x00" + b"".join(bytes(colours[(x // 12 + y // 8) % 4])
                                        for x in range(width)) for y in range(height))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
