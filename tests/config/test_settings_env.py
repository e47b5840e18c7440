"""Settings read from the environment: production refuses to sign without a SECRET_KEY."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIGN = "from django.core import signing; print(signing.dumps('x'))"


def run_shell(**env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", SIGN], cwd=ROOT,
                          env={**base, **env}, capture_output=True, text=True, timeout=60)


def test_without_debug_nothing_is_signed_until_a_secret_key_is_set():
    refused = run_shell()
    assert refused.returncode != 0
    assert "SECRET_KEY" in refused.stderr
    allowed = run_shell(SECRET_KEY="a-long-random-production-key-" + "x" * 40)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.strip()


def test_commands_that_sign_nothing_run_without_a_key():
    done = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items()
                               if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}})
    assert done.returncode == 0, done.stderr
