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


SHOW = ("from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, bool(s.SECRET_KEY), s.ALLOWED_HOSTS)")


def show_settings(**env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "PLAIN_HTTP",
                         "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS", "SECURE_HSTS_SECONDS"}}
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", SHOW], cwd=ROOT,
                          env={**base, **env}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_make_run_serves_production_settings_over_plain_http():
    shown = show_settings(PLAIN_HTTP="1")
    assert shown == "False False False 0 True ['localhost', '127.0.0.1', '[::1]']"


def test_a_deployment_keeps_https_hardening_by_default():
    shown = show_settings(SECRET_KEY="k" * 50)
    assert shown == "False True True 31536000 True []"
