"""Fast inserts for generated data: COPY on PostgreSQL, bulk_create elsewhere."""

from itertools import islice

from django.db import connection

BATCH = 5000


def _columns(model):
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def insert(model, objects):
    """Insert rows whose ids nobody needs back (a list or a generator); returns how many."""
    objects = iter(objects)
    count = 0
    if connection.vendor != "postgresql":
        while chunk := list(islice(objects, BATCH)):
            model.objects.bulk_create(chunk)
            count += len(chunk)
        return count
    fields = _columns(model)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([
                field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields
            ])
            count += 1
    return count


def create(model, objects):
    """Insert rows and return them with their ids (PostgreSQL and SQLite both return them)."""
    return model.objects.bulk_create(list(objects), batch_size=BATCH)
