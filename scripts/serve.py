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
SERVERS = ("gunicorn", "granian")


def web_command(server, host, port, *, workers=WORKERS, threads=THREADS):
    """The command line that serves config.wsgi with `server` on host:port."""
    bin_dir = Path(sys.executable).parent
    if server == "gunicorn":
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        # No access log: feed and sign-in addresses carry tokens.
        return [str(bin_dir / "gunicorn"), "config.wsgi:application", "--bind", bind,
                "--worker-class", "gthread", "--workers", str(workers),
                "--threads", str(threads), "--graceful-timeout", str(GRACE),
                "--log-level", "warning"]
    if server == "granian":
        return [str(bin_dir / "granian"), "--interface", "wsgi", "config.wsgi:application",
                "--host", host, "--port", str(port), "--workers", str(workers),
                "--blocking-threads", str(threads), "--workers-kill-timeout", str(GRACE),
                "--log-level", "warning", "--no-access-log"]
    raise ValueError(f"unknown web server {server!r}; one of {', '.join(SERVERS)}")


def start_web(server, host, port, *, env, **sizes):
    """The web server as the leader of a new process group (its workers join that group)."""
    return subprocess.Popen(web_command(server, host, port, **sizes), env=env, cwd=ROOT,
                            process_group=0)


def stop_group(process, grace=GRACE + 2.0):
    """SIGTERM to the server's whole group, wait, then SIGKILL to whatever of it is left."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader has gone; a worker it did not reap must not keep serving.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        break
    process.wait()


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
    worker = subprocess.Popen([*manage, "qcluster"], env=env, cwd=ROOT)
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
        stop_group(web)
        stop(worker)
    return web.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
