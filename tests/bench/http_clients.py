"""Lean HTTP load for the benches: threads with a keep-alive connection each (no locust).

The client shares the machine's two cores with the server it measures, so it should cost as
little as it can: http.client spends about 0.2 ms of CPU a request (it parses every response's
headers with the email package); `Lean` sends bytes made beforehand and reads a response by its
Content-Length.
"""

import http.client
import socket
import threading
import time


def free_port():
    """A port nothing listens on now: benches of other checkouts on this machine use theirs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lean:
    """An HTTP/1.1 connection kept alive to 127.0.0.1:port, for responses with a Content-Length
    (Django's CommonMiddleware sets it). `exchange(request)` → (status, body)."""

    def __init__(self, host, port, timeout=60):
        self.address, self.timeout, self.sock, self.rest = (host, port), timeout, None, b""

    def connect(self):
        self.close()
        self.sock = socket.create_connection(self.address, timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.rest = None, b""

    def exchange(self, request):
        if self.sock is None:
            self.connect()
        self.sock.sendall(request)
        data = self.rest
        while b"\r\n\r\n" not in data:
            data += self._receive()
        head, _, data = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        fields = dict(line.split(b":", 1) for line in lines[1:])
        fields = {name.strip().lower(): value.strip().lower() for name, value in fields.items()}
        if b"content-length" not in fields:
            raise ConnectionError(f"a response without Content-Length: {head[:200]!r}")
        length = int(fields[b"content-length"])
        while len(data) < length:
            data += self._receive()
        body, self.rest = data[:length], data[length:]
        if fields.get(b"connection") == b"close":
            self.close()
        return status, body

    def _receive(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk


def request_bytes(method, path, headers, body=b""):
    """A request as Lean sends it."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1",
             *(f"{name}: {value}" for name, value in headers.items())]
    if body or method != "GET":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def run(port, clients, jobs, send, *, expected, connection=http.client.HTTPConnection):
    """`jobs` shared by `clients` connections released together; `send(conn, job)` makes one
    request and returns its status. Returns (seconds, sorted latencies, errors): a status
    other than `expected` or a broken connection is an error, and the connection is renewed.
    `connection(host, port, timeout=)` makes a connection: http.client's, or Lean."""
    queue, lock = list(jobs), threading.Lock()
    latencies, errors = [], []
    barrier = threading.Barrier(clients + 1)  # + this thread, which starts the clock

    def client():
        conn = connection("127.0.0.1", port, timeout=60)
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
            except (OSError, ValueError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn.close()
                conn = connection("127.0.0.1", port, timeout=60)
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
