"""Lean HTTP load for the benches: threads with a keep-alive connection each (no locust)."""

import http.client
import socket
import threading
import time


def free_port():
    """A port nothing listens on now: benches of other checkouts on this machine use theirs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(port, clients, jobs, send, *, expected):
    """`jobs` shared by `clients` connections released together; `send(conn, job)` makes one
    request and returns its status. Returns (seconds, sorted latencies, errors): a status
    other than `expected` or a broken connection is an error, and the connection is renewed."""
    queue, lock = list(jobs), threading.Lock()
    latencies, errors = [], []
    barrier = threading.Barrier(clients + 1)  # + this thread, which starts the clock

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        barrier.wait(timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                job = queue.pop()
            started = time.perf_counter()
            try:
                status = send(conn, job)
                if status != expected:
                    errors.append(status)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies.append(time.perf_counter() - started)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sorted(latencies), errors
