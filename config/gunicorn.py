"""gunicorn's settings file (`-c python:config.gunicorn`): `make run` and deploy/ use it.

The arbiter gives each new worker of several threads the core the fewest live workers are on;
the worker keeps to it (config/cpu_affinity.py says why). A worker that replaces a dead one
takes the core freed.
"""

from config import cpu_affinity


def pre_fork(server, worker):
    worker.cpu = None
    if server.cfg.threads > 1 and cpu_affinity.enabled():
        taken = [other.cpu for other in server.WORKERS.values()
                 if getattr(other, "cpu", None) is not None]
        worker.cpu = cpu_affinity.least_used(taken)


def post_fork(server, worker):
    if worker.cpu is not None:
        cpu_affinity.pin(worker.cpu)
