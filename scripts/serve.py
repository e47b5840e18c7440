"""Serve the web app and a django-q2 worker together until Ctrl+C; used by `make run`.

The web side is a production WSGI server (gunicorn by default, granian with WEB_SERVER=granian;
`make bench` compares them on this machine), in a process group of its own so that stopping it
stops its worker processes too: nothing of the web side outlives this script.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Two cores: two processes; threads let a request wait on the database while another runs. On
# SQLite the threads of a process queue for the write lock in the process (config/sqlite).
WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
THREADS = int(os.environ.get("WEB_THREADS", "4"))
GRACE = 5  # seconds a web worker may take to finish its request when told to stop
WEB_GRACE = GRACE + 2.0
SERVERS = ("gunicorn", "granian")


def web_command(server, host, port, *, workers=WORKERS, threads=THREADS):
    """The command line that serves config.wsgi with `server` on host:port."""
    bin_dir = Path(sys.executable).parent
    if server == "gunicorn":
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        # No access log: feed and sign-in addresses carry tokens.
        # config/gunicorn.py keeps each worker on a core of its own (WEB_PIN_CPUS=0: not).
        # A worker of one thread is gunicorn's sync one, as deploy/ runs it: it takes a
        # connection when it is free. gthread's keeps the connections it accepted, and a surge
        # through a few kept-alive ones queues at one worker while another has none.
        return [str(bin_dir / "gunicorn"), "config.wsgi:application", "--bind", bind,
                "--config", "python:config.gunicorn",
                "--worker-class", "gthread" if threads > 1 else "sync", "--workers", str(workers),
                "--threads", str(threads), "--graceful-timeout", str(GRACE),
                "--log-level", "warning"]
    if server == "granian":
        return [str(bin_dir / "granian"), "--interface", "wsgi", "config.wsgi:application",
                "--host", host, "--port", str(port), "--workers", str(workers),
                "--blocking-threads", str(threads), "--workers-kill-timeout", str(GRACE),
                "--log-level", "warning", "--no-access-log"]
    raise ValueError(f"unknown web server {server!r}; one of {', '.join(SERVERS)}")


def start_web(server, host, port, *, env, stdout=None, stderr=None, **sizes):
    """The web server as the leader of a new process group (its workers join that group)."""
    return subprocess.Popen(web_command(server, host, port, **sizes), env=env, cwd=ROOT,
                            process_group=0, stdout=stdout, stderr=stderr)


# The worker stops within this bound (notifications/worker.py: 8 s of orderly stop, then it
# kills what is left); a little more here before the whole group gets SIGKILL.
WORKER_GRACE = 12.0


def start_worker(manage, env):
    """The django-q2 cluster in a session of its own: its processes form one group, so a stop
    reaches every one of them, and Ctrl+C in the terminal reaches only this script."""
    return subprocess.Popen([*manage, "qcluster"], env=env, cwd=ROOT, start_new_session=True)


def stop_group(process, grace):
    """SIGTERM to the process's whole group (what systemd sends), wait, then SIGKILL the group:
    when this returns no process of it is left to serve or send anything."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _group_alive(process):
            time.sleep(0.1)
        if not _group_alive(process):
            break
    process.wait()


def _group_alive(process):
    process.poll()  # reap the main process, or the group never looks empty
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def site_url(host, port):
    """Where links in mails and feeds lead: SITE_URL, else the address this server listens on."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"].rstrip("/")
    shown = "localhost" if host in {"0.0.0.0", "::", ""} else host
    return f"http://{shown}:{port}"


def answers(host, port):
    try:
        with socket.create_connection((host if host not in {"0.0.0.0", "::"} else "127.0.0.1",
                                       int(port)), timeout=1):
            return True
    except OSError:
        return False


def announce(url):
    lines = [f"Школа наставничества работает: {url}/",
             f"Управление: {url}/admin/  (в демо: curator / curator, admin / admin)",
             "Ссылки для входа, которые вы запросите, появятся здесь в рамке.",
             "Ctrl+C — остановить."]
    width = max(len(line) for line in lines) + 2
    print("╔" + "═" * width + "╗", *(f"║ {line.ljust(width - 2)} ║" for line in lines),
          "╚" + "═" * width + "╝", sep="\n", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--server", choices=SERVERS,
                        default=os.environ.get("WEB_SERVER", "gunicorn"))
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    url = site_url(args.host, args.port)
    env = {**os.environ, "SITE_URL": url}
    worker = start_worker(manage, env)
    web = start_web(args.server, args.host, args.port, env=env)
    signal.signal(signal.SIGTERM, _interrupt)
    announced = False
    try:
        while web.poll() is None and worker.poll() is None:
            if not announced and answers(args.host, args.port):
                announce(url)
                announced = True
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop_group(web, WEB_GRACE)
        stop_group(worker, WORKER_GRACE)
    return web.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
