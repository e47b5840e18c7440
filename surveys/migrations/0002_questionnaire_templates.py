"""The questionnaires the school starts with, as data the administrator can edit (new versions).

«Трудности в работе учителя» (seed 000, track 1) chooses the themes of the next tracks; «Оценка
мероприятия» and the two «Удовлетворённость программой наставничества» are the satisfaction
monitoring of seeds 001 and 004. Family ids are fixed so that code (the demo) can find them.
"""

import uuid

from django.db import migrations

DIFFICULTY = uuid.UUID("2e0dd4f8-722f-4207-8715-5e7a74c02faa")
EVENT = uuid.UUID("78c99e8e-9eb0-464f-9796-9c0b222bea6d")
MENTORS = uuid.UUID("ac2c9f7d-64ca-4e6d-bcf4-c9937b2253c5")
MENTEES = uuid.UUID("b76bf3a0-7e05-4edb-bc38-beeb65a4777d")

DIFFICULTY_LABELS = ["совсем не трудно", "скорее не трудно", "иногда трудно", "скорее трудно",
                     "очень трудно"]
SATISFIED = ["совсем не удовлетворён(а)", "скорее не удовлетворён(а)", "отчасти",
             "скорее удовлетворён(а)", "полностью удовлетворён(а)"]
USEFUL = ["бесполезно", "мало полезно", "отчасти полезно", "полезно", "очень полезно"]
APPLY = ["точно не применю", "скорее не применю", "пока не знаю", "скорее применю",
         "обязательно применю"]
GRADE = ["очень плохо", "плохо", "удовлетворительно", "хорошо", "отлично"]
AMOUNT = ["совсем нет", "скорее нет", "отчасти", "скорее да", "полностью"]
RECOMMEND = ["точно не порекомендую", "обязательно порекомендую"]
YES_NO = ["да", "скорее да", "скорее нет", "нет"]
ALL_TOPICS = "__all_topics__"


def q(code, kind, text, *, required=True, help_text="", choices=(), other=False, labels=(),
      topics=None):
    return {"code": code, "kind": kind, "text": text, "required": required,
            "help_text": help_text, "choices": list(choices), "allow_other": other,
            "scale_labels": list(labels), "topics": topics}


def program_questions(*, mentor):
    who = "наставляемых" if mentor else "наставника"
    middle = [
        q("mentee_progress", "scale5", "Насколько заметен профессиональный рост ваших "
          "наставляемых?", labels=["не заметен", "мало заметен", "отчасти заметен", "заметен",
                                   "очень заметен"]),
        q("own_growth", "scale5", "Насколько участие в программе помогло вашему "
          "профессиональному развитию?", labels=AMOUNT),
        q("curator_support", "scale5", "Достаточно ли вам методической поддержки куратора "
          "школы наставничества?", labels=AMOUNT),
        q("meetings_count", "number", "Сколько встреч с наставляемыми было у вас за последний "
          "месяц?", required=False, help_text="Число, например 4."),
    ] if mentor else [
        q("mentor_support", "scale5", "Насколько вам помогает наставник?", labels=AMOUNT),
        q("meetings", "scale5", "Устраивают ли вас частота и формат встреч с наставником?",
          labels=AMOUNT),
        q("confidence", "scale5", "Стали ли вы увереннее чувствовать себя в профессии?",
          labels=AMOUNT),
        q("difficulties_solved", "scale5", "Удалось ли решить затруднения, с которыми вы "
          "пришли в программу?", labels=AMOUNT),
    ]
    return [
        q("overall", "scale5", "Насколько вы удовлетворены участием в программе наставничества?",
          labels=SATISFIED),
        q("organisation", "scale5", "Как вы оцениваете организацию программы: график, формы "
          "работы, информирование?", labels=GRADE),
        *middle,
        q("continue", "single", "Хотели бы вы продолжить участие в программе в роли "
          + ("наставника?" if mentor else "наставляемого?"), choices=YES_NO),
        q("recommend", "scale10", "Насколько вероятно, что вы посоветуете коллеге стать "
          + ("наставником?" if mentor else "участником программы?"), labels=RECOMMEND),
        q("best", "text", f"Что в работе с {who} и в программе было самым полезным?",
          required=False),
        q("improve", "text", "Что стоит изменить в программе?", required=False),
    ]


def templates(topic_names):
    return [
        (DIFFICULTY, {
            "title": "Трудности в работе учителя", "purpose": "difficulty",
            "is_anonymous": False,
            "description": "Анкета помогает школе наставничества выбрать темы следующих "
            "треков: тематика наставнических практик определяется с учётом выявленных "
            "затруднений. Отметьте, насколько трудна для вас каждая тема, и расскажите, "
            "какая помощь вам нужна. В отчётах показываются только обобщённые данные.",
        }, [
            q("topics_difficulty", "matrix", "Насколько трудны для вас в работе следующие темы?",
              help_text="Отметьте каждую тему.", labels=DIFFICULTY_LABELS, topics=ALL_TOPICS),
            q("other_difficulties", "text", "Что ещё вызывает у вас затруднения в работе?",
              required=False),
            q("help_wanted", "text", "Какая помощь вам нужна от наставника или школы "
              "наставничества?", required=False),
            q("help_forms", "multiple", "В какой форме вам удобнее получать помощь?",
              required=False, other=True,
              choices=["индивидуальная консультация наставника", "посещение и анализ уроков",
                       "мастер-класс", "семинар-практикум", "коуч-сессия", "вебинар"]),
            q("experience_group", "single", "Ваш педагогический стаж",
              choices=["до 3 лет (молодой специалист)", "от 3 до 10 лет", "от 10 до 20 лет",
                       "более 20 лет"]),
            q("position", "single", "Ваша должность", other=True,
              choices=["учитель", "заместитель директора", "педагог дополнительного "
                       "образования", "педагог-психолог"]),
        ]),
        (EVENT, {
            "title": "Оценка мероприятия", "purpose": "event_satisfaction", "is_anonymous": True,
            "description": "Анкета анонимная: ответы хранятся без имени, а в отчёт попадают "
            "только обобщённые данные. Ваша оценка поможет сделать следующие встречи полезнее.",
        }, [
            q("satisfaction", "scale5", "Насколько вы удовлетворены мероприятием в целом?",
              labels=SATISFIED),
            q("usefulness", "scale5", "Насколько полезным для вашей работы было мероприятие?",
              labels=USEFUL),
            q("will_apply", "scale5", "Примените ли вы полученное на практике?", labels=APPLY),
            q("organisation", "scale5", "Как вы оцениваете организацию: время, место, "
              "материалы?", labels=GRADE),
            q("presenter", "scale5", "Как вы оцениваете работу ведущего (выступающих)?",
              labels=GRADE),
            q("recommend", "scale10", "Насколько вероятно, что вы порекомендуете такое "
              "мероприятие коллеге?", labels=RECOMMEND),
            q("improve", "text", "Что стоит улучшить?", required=False),
            q("next_topics", "multiple", "Какие темы вы хотели бы обсудить на следующих "
              "мероприятиях?", required=False, other=True, choices=topic_names),
        ]),
        (MENTORS, {
            "title": "Удовлетворённость программой наставничества (наставники)",
            "purpose": "program_satisfaction", "is_anonymous": True,
            "description": "Мониторинг удовлетворённости наставников программой. Анкета "
            "анонимная: ответы хранятся без имени, в отчёт попадают только обобщённые данные.",
        }, program_questions(mentor=True)),
        (MENTEES, {
            "title": "Удовлетворённость программой наставничества (наставляемые)",
            "purpose": "program_satisfaction", "is_anonymous": True,
            "description": "Мониторинг удовлетворённости наставляемых программой. Анкета "
            "анонимная: ответы хранятся без имени, в отчёт попадают только обобщённые данные.",
        }, program_questions(mentor=False)),
    ]


def forwards(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    Topic = apps.get_model("participants", "Topic")
    topics = list(Topic.objects.filter(is_active=True).order_by("position", "name"))
    for family, fields, questions in templates([topic.name for topic in topics]):
        if Questionnaire.objects.filter(family=family).exists():
            continue
        questionnaire = Questionnaire.objects.create(family=family, version=1, is_current=True,
                                                     **fields)
        for position, data in enumerate(questions, start=1):
            rows = data.pop("topics")
            question = Question.objects.create(questionnaire=questionnaire, position=position,
                                               **data)
            if rows == ALL_TOPICS:
                question.topics.set(topics)


def backwards(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Questionnaire.objects.filter(family__in=[DIFFICULTY, EVENT, MENTORS, MENTEES],
                                 rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("participants", "0002_roles_topics_consent"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
