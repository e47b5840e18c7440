"""A PostgreSQL server of a scenario's own: initdb in /tmp, its own port; the machine's server
is not touched, so a scenario may restart or stop it."""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile

from tests.notifications.smtp import free_port

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def available():
    return bool(BINARIES) and os.geteuid() == 0 and shutil.which("su") is not None


def as_postgres(*command, check=True):
    return subprocess.run(["su", "postgres", "-c", " ".join(command)], check=check,
                          capture_output=True, text=True, timeout=120)


@contextlib.contextmanager
def private_server():
    """(URL of its database "mentoring", the pg_ctl command line that controls it)."""
    bin_dir = BINARIES[-1]
    home = tempfile.mkdtemp(prefix="faults-pg-", dir="/tmp")
    os.chmod(home, 0o755)
    shutil.chown(home, "postgres", "postgres")
    data, port = f"{home}/data", free_port()
    as_postgres(f"{bin_dir}/initdb", "-D", data, "-U", "mentoring", "--auth=trust", "-E", "UTF8")
    ctl = (f"{bin_dir}/pg_ctl -D {data} -l {home}/log -w "
           f"-o '-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off'")
    as_postgres(ctl, "start")
    as_postgres(f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "mentoring",
                "mentoring")
    try:
        yield f"postgres://mentoring@127.0.0.1:{port}/mentoring", ctl
    finally:
        as_postgres(ctl, "-m", "immediate", "stop", check=False)
        shutil.rmtree(home, ignore_errors=True)
