"""Model instances from rows of hand-written SQL, for the few statements too hot to compose.

The ORM spends more Python composing a query with select_related (half a millisecond and up)
than the database spends running it. A statement written once lists a model's columns with
`Columns(model, alias).sql()`; `read()` turns them back into the instance the ORM would make,
each value converted as the ORM converts it (SQLite's text times and integer booleans, JSON).
`insert()` writes a new instance the way save() would, with a statement made once per model;
`send_insert()` leaves its key to be read later, with statements sent after it.
"""

import functools

from django.db import connection

from config import pipeline


class Columns:
    """A model's concrete columns under a table alias, in the order a row gives them; with
    `names`, only those (the others stay deferred: read from the database on access)."""

    def __init__(self, model, alias, names=None):
        self.model, self.alias = model, alias
        self.fields = [field for field in model._meta.concrete_fields
                       if names is None or field.attname in names]
        self.names = [field.attname for field in self.fields]
        self._key = self.names.index(model._meta.pk.attname)
        self._converters = {}

    def __len__(self):
        return len(self.fields)

    def sql(self):
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    def read(self, row, start=0):
        """The instance made of row[start:start + len(self)]; None when its key is NULL (a
        LEFT JOIN that found nothing)."""
        values = list(row[start:start + len(self.fields)])
        if values[self._key] is None:
            return None
        for index, converters, column in self._converters_of(connection):
            for convert in converters:
                values[index] = convert(values[index], column, connection)
        return self.model.from_db(connection.alias, self.names, values)

    def _converters_of(self, conn):
        # What SQLCompiler.get_converters finds for each column, found once per database.
        if conn.vendor not in self._converters:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = conn.ops.get_db_converters(column) + column.get_db_converters(conn)
                if converters:
                    found.append((index, converters, column))
            self._converters[conn.vendor] = found
        return self._converters[conn.vendor]


def read_row(row, *groups):
    """The instances of a row whose columns are the given groups' one after another."""
    instances, at = [], 0
    for group in groups:
        instances.append(group.read(row, at))
        at += len(group)
    return instances


def insert(instance):
    """Write a new instance with one INSERT … RETURNING its key, each value as Model.save()
    makes it (defaults, auto_now, pre_save). No signals are sent: for models nobody listens to.
    """
    return send_insert(instance)()


def send_insert(instance):
    """insert(), whose key is read by the function returned (which returns the instance).

    Inside config.pipeline.together() the key is read when the function is called: statements
    sent meanwhile (a transaction's COMMIT among them) go to the database with the INSERT, for
    one wait; until then the instance has no key. Elsewhere the key is read at once: an
    INSERT … RETURNING left unread would stay running, and on SQLite keep the write lock.
    """
    fields, sql = _insert_statement(type(instance), connection.vendor)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection)
              for field in fields]
    alias = connection.alias
    cursor = connection.cursor()
    try:
        cursor.execute(sql, values)
    except BaseException:
        cursor.close()
        raise
    read = []

    def read_key():
        if not read:  # once
            with cursor:
                instance.pk = cursor.fetchone()[0]
            instance._state.adding, instance._state.db = False, alias
            read.append(True)
        return instance

    if not pipeline.is_open():
        read_key()
    return read_key


@functools.cache
def _insert_statement(model, vendor):
    meta, quote = model._meta, connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    return fields, (f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"
                    f" RETURNING {quote(meta.pk.column)}")
