"""`manage.py qcluster`: django-q2's command with a cluster that stops cleanly on SIGTERM.

See notifications/worker.py; listed before django_q in INSTALLED_APPS so that this one runs.
"""

from django_q.management.commands import qcluster

from notifications.worker import GracefulCluster


class Command(qcluster.Command):
    def handle(self, *args, **options):
        qcluster.Cluster = GracefulCluster  # the command builds `Cluster()` by this name
        super().handle(*args, **options)
