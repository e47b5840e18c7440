"""Demo municipality «Ханкайский муниципальный округ»: schools, teachers, mentors, mentees, pairs.

Deterministic (one random seed) and idempotent: every object is found by its natural key (name,
e-mail, username, person, mentor) before it is created, so a second run adds nothing. Other apps
add their demo data in their own ``demo.load(stdout=None)``; ``load_demo`` calls them in turn.
"""

import datetime
import random
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from participants import demo_data as data
from participants import roles, services
from participants.models import (
    Consent,
    ConsentText,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Municipality,
    Organisation,
    Person,
    PersonalProgram,
    PlanItem,
    Topic,
)

ZONE = zoneinfo.ZoneInfo(data.TIME_ZONE)
YOUNG_SPECIALISTS = 10
MENTOR_SINCE = datetime.date(2023, 3, 16)  # the order that founded the school
TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
    strict=True,
))


@dataclass
class Teacher:
    """One person of the roster before it is saved; the roster is the same on every run."""

    last_name: str
    first_name: str
    patronymic: str
    school: str
    position: str
    subject: str
    category: str
    years: int
    login: str
    phone: str = ""
    can_help: str = ""
    topics: list = field(default_factory=list)
    mentee_reason: str = ""

    @property
    def email(self):
        return f"{self.login}@{data.EMAIL_DOMAIN}"

    def data(self, organisation):
        return {"organisation": organisation, "last_name": self.last_name,
                "first_name": self.first_name, "patronymic": self.patronymic,
                "email": self.email, "phone": self.phone, "position": self.position,
                "subject": self.subject, "category": self.category,
                "experience_years": self.years}


@dataclass
class Demo:
    """What the loaders share: the municipality, the roster and what exists by now."""

    municipality: Municipality
    roster: list
    organisations: dict = field(default_factory=dict)  # short name → Organisation
    people: dict = field(default_factory=dict)  # e-mail → Person
    curator: User | None = None
    created: Counter = field(default_factory=Counter)

    def person(self, login):
        return self.people.get(f"{login}@{data.EMAIL_DOMAIN}")


def load(stdout=None):
    """Build the demo municipality, or complete it; returns the Demo."""
    with transaction.atomic():
        demo = load_municipality()
        load_people(demo)
        load_users(demo)
        load_consents(demo)
        load_mentors(demo)
        load_mentees(demo)
        load_groups(demo)
    if stdout is not None:
        made = ", ".join(f"{name}: {count}" for name, count in demo.created.items() if count)
        stdout.write(f"{data.MUNICIPALITY}: {len(demo.people)} участников; "
                     f"создано — {made or 'ничего, всё уже было'}.")
    return demo


def load_municipality():
    municipality, _created = Municipality.objects.update_or_create(
        name=data.MUNICIPALITY, defaults={"time_zone": data.TIME_ZONE}
    )
    if not municipality.department:  # the curator's own wording, once they change it, stays
        municipality.department = data.DEPARTMENT
        municipality.save(update_fields=["department"])
    demo = Demo(municipality=municipality, roster=build_roster(random.Random(data.SEED)))
    for short_name, name, _size in data.SCHOOLS:
        organisation, created = Organisation.objects.get_or_create(
            municipality=municipality, name=name, defaults={"short_name": short_name}
        )
        demo.organisations[short_name] = organisation
        demo.created["школ"] += created
    return demo


def load_people(demo):
    """The seeded people through the service, the invented ones in bulk."""
    existing = set(Person.objects.filter(municipality=demo.municipality)
                   .values_list("email", flat=True))
    fresh = [t for t in demo.roster if t.email not in existing]
    seeded = {row[8] for row in data.SEEDED}
    people = []
    for teacher in fresh:
        organisation = demo.organisations[teacher.school]
        if teacher.login in seeded:
            services.create_person(demo.municipality, data=teacher.data(organisation))
            continue
        person = Person(municipality=demo.municipality, **teacher.data(organisation))
        person.refresh_search_text()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    demo.created["участников"] += len(fresh)
    demo.people = {p.email: p for p in Person.objects.filter(municipality=demo.municipality)}


def load_users(demo):
    """The curator, a few mentors with accounts, and a superuser; passwords as in the README."""
    demo.curator = _account(data.CURATOR_USERNAME, roles.CURATOR, demo.person(data.SEEDED[0][8]),
                            demo)
    for username, login in data.MENTOR_USERNAMES:
        _account(username, roles.MENTOR, demo.person(login), demo)
    _account("admin", None, None, demo, superuser=True)


def _account(username, role, person, demo, *, superuser=False):
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": superuser,
                                     "email": person.email if person else ""},
    )
    if created:
        user.set_password(username)
        user.save(update_fields=["password"])
        demo.created["учётных записей"] += 1
    if role:
        user.groups.add(Group.objects.get(name=role))
    if person is not None and person.user_id is None and not hasattr(user, "person"):
        Person.objects.filter(pk=person.pk).update(user=user)
        person.user = user
    return user


def load_consents(demo):
    """Everyone gave written consent at the start of the school year; withdrawn ones stay so."""
    text = ConsentText.objects.get(version="1")
    given_at = datetime.datetime.combine(school_year_start(), datetime.time(10), tzinfo=ZONE)
    have = set(Consent.objects.filter(person__municipality=demo.municipality)
               .values_list("person_id", flat=True))
    consents = [
        Consent(person=person, text=text, given_at=given_at, source=Consent.Source.PAPER,
                recorded_by=demo.curator)
        for person in demo.people.values() if person.pk not in have and not person.is_anonymised
    ]
    Consent.objects.bulk_create(consents)
    demo.created["согласий"] += len(consents)


def load_mentors(demo):
    topics = {topic.name: topic for topic in Topic.objects.all()}
    have = set(MentorProfile.objects.filter(person__municipality=demo.municipality)
               .values_list("person_id", flat=True))
    for teacher in demo.roster:
        person = demo.people.get(teacher.email)
        if not teacher.can_help or person is None or person.pk in have:
            continue
        services.set_mentor_profile(
            person, topics=[topics[name] for name in teacher.topics if name in topics],
            can_help=teacher.can_help, since=MENTOR_SINCE,
        )
        demo.created["наставников"] += 1


def load_mentees(demo):
    topics = {topic.name: topic for topic in Topic.objects.all()}
    have = set(MenteeRecord.objects.filter(person__municipality=demo.municipality)
               .values_list("person_id", flat=True))
    for teacher in demo.roster:
        person = demo.people.get(teacher.email)
        if not teacher.mentee_reason or person is None or person.pk in have:
            continue
        services.set_mentee_record(
            person, reason=teacher.mentee_reason, since=school_year_start(),
            topics=[topics[name] for name in teacher.topics if name in topics],
        )
        demo.created["наставляемых"] += 1


def school_year_start(today=None):
    today = today or timezone.localdate(timezone=ZONE)
    return datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


# --- pairs and groups ------------------------------------------------------------------------

G = MentoringGroup
# (mentor's e-mail login or a «может помочь» offer's subject, mentees: (reason, how many),
#  role model, format, goal)
GROUPS = [
    ("fedorova.el", (MenteeRecord.Reason.YOUNG_SPECIALIST, 1), G.RoleModel.EXPERIENCED_YOUNG,
     G.Format.TRADITIONAL, "Адаптация молодого учителя: урок по обновлённым ФГОС от замысла до "
     "самоанализа."),
    ("balakina.na", (MenteeRecord.Reason.YOUNG_SPECIALIST, 1), G.RoleModel.EXPERIENCED_YOUNG,
     G.Format.TRADITIONAL, "Освоение технологии групповой работы на уроке."),
    ("govorkova.iv", (MenteeRecord.Reason.YOUNG_SPECIALIST, 3), G.RoleModel.EXPERIENCED_YOUNG,
     G.Format.TRADITIONAL, "Группа молодых педагогов: проектирование современного урока."),
    ("tiptsova.ea", (MenteeRecord.Reason.YOUNG_SPECIALIST, 1), G.RoleModel.EXPERIENCED_YOUNG,
     G.Format.VIRTUAL, "Цифровые образовательные ресурсы в работе учителя сельской школы."),
    ("ignatenko.ov", (MenteeRecord.Reason.BURNOUT, 1), G.RoleModel.EXPERIENCED_EXPERIENCED,
     G.Format.SHORT_TERM, "Восстановление интереса к профессии через творческие проекты с "
     "учениками."),
    ("математика", (MenteeRecord.Reason.DEFICIT, 1), G.RoleModel.EXPERIENCED_EXPERIENCED,
     G.Format.SITUATIONAL, "Преодоление затруднений в оценивании планируемых результатов."),
]
PLAN = [  # (months after the start, item) of the personal program of the first pair
    (0, "Знакомство; анкета «Трудности в работе учителя», выбор целей"),
    (1, "Посещение уроков наставника: организация начала урока, постановка учебной задачи"),
    (2, "Совместное проектирование урока по технологической карте"),
    (3, "Посещение уроков молодого педагога, анализ по карте наблюдения"),
    (4, "Подготовка и проведение родительского собрания"),
    (5, "Формирующее оценивание: листы самооценки и взаимооценки"),
    (7, "Открытый урок молодого педагога на школьном методическом объединении"),
    (8, "Итоговая рефлексия, анкета удовлетворённости, план на следующий год"),
]


def load_groups(demo):
    """Six pairs and groups fixed by one order, with consent; the first has a personal program."""
    start = school_year_start() + datetime.timedelta(days=14)
    end = datetime.date(start.year + 1, 5, 31)
    taken = set()
    for index, (mentor_key, (reason, count), role_model, fmt, goal) in enumerate(GROUPS):
        mentor = _group_mentor(demo, mentor_key)
        mentees = _group_mentees(demo, reason, count, mentor, taken)
        taken.update(mentees)
        if MentoringGroup.objects.filter(municipality=demo.municipality, mentor=mentor).exists():
            continue
        group = services.create_group(
            demo.municipality, mentor=mentor, mentees=[demo.people[m] for m in mentees],
            start_date=start, end_date=end, role_model=role_model, format=fmt, goal=goal,
            consent_at=datetime.datetime.combine(start, datetime.time(11), tzinfo=ZONE),
            order_reference=f"Приказ управления образования от {start:%d.%m.%Y} № 112",
        )
        demo.created["пар и групп"] += 1
        if index == 0:
            load_program(group, start, end)


def _group_mentor(demo, key):
    teacher = next(t for t in demo.roster if key in {t.login, t.subject} and t.can_help)
    return demo.people[teacher.email]


def _group_mentees(demo, reason, count, mentor, taken):
    """Mentees of this reason, the mentor's subject first; the same ones on every run."""
    pool = [t.email for t in demo.roster if t.mentee_reason == reason and t.email not in taken]
    pool.sort(key=lambda email: demo.people[email].subject != mentor.subject)
    return pool[:count]


def load_program(group, start, end):
    today = timezone.localdate(timezone=ZONE)
    program, _created = PersonalProgram.objects.get_or_create(group=group, defaults={
        "goal": group.goal, "start_date": start, "end_date": end,
        "expected_result": "Открытый урок молодого педагога, методическая копилка приёмов.",
    })
    for position, (months, title) in enumerate(PLAN, start=1):
        year, month = divmod(start.month - 1 + months, 12)
        due = datetime.date(start.year + year, month + 1, 25)
        PlanItem.objects.get_or_create(program=program, position=position, defaults={
            "title": title, "due_date": due, "is_done": due < today,
        })


# --- the roster ------------------------------------------------------------------------------

def build_roster(rng):
    """286 teachers of 18 schools: the six people of the order and invented colleagues."""
    roster = [_seeded(row) for row in data.SEEDED]
    for short_name, _name, size in data.SCHOOLS:
        staff = _staff(size - sum(t.school == short_name for t in roster))
        for position, subject, men in staff:
            roster.append(_invent(rng, short_name, position, subject, rng.random() < men))
    invented = roster[len(data.SEEDED):]
    _choose_young(rng, invented)
    _choose_mentors(rng, invented)
    _choose_other_mentees(rng, invented)
    logins = {t.login for t in roster[:len(data.SEEDED)]}
    for teacher in invented:  # last: a young specialist may have been renamed
        teacher.login = _login(teacher.last_name, teacher.first_name, teacher.patronymic, logins)
    return roster


def _seeded(row):
    (last, first, patronymic, school, position, subject, category, years, login, can_help,
     topics) = row
    return Teacher(last, first, patronymic, school, position, subject, category, years, login,
                   can_help=can_help, topics=topics)


def _staff(size):
    staff = [data.DIRECTOR, data.DEPUTIES[0]]
    if size >= 14:
        staff.append(data.DEPUTIES[1])
    staff += data.SPECIALISTS[: (size >= 20) + (size >= 24)]
    while len(staff) < size:
        staff.append(data.TEACHERS[(len(staff) - 3) % len(data.TEACHERS)])
    return staff[:size]


def _invent(rng, school, position, subject, male):
    surname = rng.choice(data.SURNAMES)
    patronymic = rng.choice(data.PATRONYMICS)[0 if male else 1]
    if male:
        first, last = rng.choice(data.MALE_NAMES), surname
    else:
        first, last = rng.choice(data.FEMALE_NAMES), _feminine(surname)
    years = max(3, min(45, round(rng.triangular(3, 45, 22))))
    category = _category(rng, years)
    phone = "+7" + rng.choice(data.PHONE_CODES) + f"{rng.randrange(10**7):07d}"
    return Teacher(last, first, patronymic, school, position, subject, category, years, "",
                   phone=phone)


def _feminine(surname):
    for ending, female in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + female
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname  # Бондаренко, Ковальчук, Ким: the same for women


def _category(rng, years):
    if years < 5:
        return rng.choice(["", "", "conformity"])
    return rng.choices(["highest", "first", "conformity", ""], weights=[3, 4, 2, 1])[0]


def _login(last, first, patronymic, logins):
    base = "".join(TRANSLIT.get(ch, ch) for ch in last.lower()).replace("-", "")
    base += "." + "".join(TRANSLIT[name[0].lower()][0] for name in (first, patronymic))
    login, number = base, 1
    while login in logins:
        number += 1
        login = f"{base}{number}"
    logins.add(login)
    return login


def _is_teacher(teacher):
    return teacher.position.startswith("учитель")


def _choose_young(rng, invented):
    """Ten young specialists: a year or two in school, mostly women just out of college."""
    for teacher in rng.sample([t for t in invented if _is_teacher(t)], YOUNG_SPECIALISTS):
        teacher.years = rng.choice([0, 1, 1, 2, 2])
        teacher.category = ""
        teacher.mentee_reason = MenteeRecord.Reason.YOUNG_SPECIALIST
        teacher.topics = rng.sample(data.YOUNG_DIFFICULTIES, rng.choice([2, 3]))
        if teacher.patronymic.endswith("вна") or teacher.patronymic.endswith("ична"):
            teacher.first_name = rng.choice(data.YOUNG_FEMALE_NAMES)


def _choose_mentors(rng, invented):
    """Experienced teachers of the right subject take up each «может помочь» offer."""
    pool = [t for t in invented if t.years >= 12 and t.category in {"highest", "first"}
            and not t.mentee_reason]
    rng.shuffle(pool)
    for subject, text, topics in data.MENTOR_OFFERS:
        candidates = [t for t in pool if not t.can_help and subject in {None, t.subject}]
        if not candidates:
            candidates = [t for t in pool if not t.can_help]
        chosen = candidates[0]
        chosen.can_help, chosen.topics = text, topics


def _choose_other_mentees(rng, invented):
    """A few teachers with deficits, one in burnout, one newly appointed deputy head."""
    free = [t for t in invented if not t.can_help and not t.mentee_reason]
    deficits = rng.sample([t for t in free if _is_teacher(t) and 4 <= t.years <= 12], 3)
    for teacher in deficits:
        teacher.mentee_reason = MenteeRecord.Reason.DEFICIT
        teacher.topics = rng.sample(data.YOUNG_DIFFICULTIES, 2)
    burnout = next(t for t in free if _is_teacher(t) and t.years >= 25 and t not in deficits)
    burnout.mentee_reason = MenteeRecord.Reason.BURNOUT
    burnout.topics = ["Профилактика профессионального выгорания"]
    deputy = next(t for t in free if t.position == data.DEPUTIES[0][0])
    deputy.mentee_reason = MenteeRecord.Reason.NEW_DEPUTY_HEAD
    deputy.years = max(deputy.years, 8)
    deputy.topics = ["Методическое сопровождение учителя", "Анализ современного урока"]

