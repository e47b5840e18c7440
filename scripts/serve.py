"""Serve the web app and a django-q2 worker together until Ctrl+C; used by `make run`."""

import argparse
import os
import signal
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


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    env = dict(os.environ)
    worker = subprocess.Popen([*manage, "qcluster"], env=env, cwd=ROOT)
    web = subprocess.Popen([*manage, "runserver", f"{args.host}:{args.port}", "--noreload"],
                           env=env, cwd=ROOT)
    print(f"Школа наставничества: http://{args.host}:{args.port}/  (Ctrl+C — остановить)",
          flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop(web)
        stop(worker)
    return web.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
