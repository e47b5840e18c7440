"""Serve the web app and a django-q2 worker together until Ctrl+C; used by `make run`."""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stop(process, grace=5.0):
    """SIGTERM, wait, then SIGKILL: a qcluster told to stop may log "stopping" and linger."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# The worker stops within this bound (notifications/worker.py: 8 s of orderly stop, then it
# kills what is left); a little more here before the whole group gets SIGKILL.
WORKER_GRACE = 12.0


def start_worker(manage, env):
    """The django-q2 cluster in a session of its own: its processes form one group, so a stop
    reaches every one of them, and Ctrl+C in the terminal reaches only this script."""
    return subprocess.Popen([*manage, "qcluster"], env=env, cwd=ROOT, start_new_session=True)


def stop_worker(process, grace=WORKER_GRACE):
    """SIGTERM to the worker's whole group (what systemd sends), wait, then SIGKILL the group:
    when this returns no worker process is left to send anything."""
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
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    url = site_url(args.host, args.port)
    env = {**os.environ, "SITE_URL": url}
    worker = start_worker(manage, env)
    web = subprocess.Popen([*manage, "runserver", f"{args.host}:{args.port}", "--noreload"],
                           env=env, cwd=ROOT)
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
        stop(web)
        stop_worker(worker)
    return web.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
