"""An HTTP load generator for the benchmark: closed loops over raw sockets, spread over several processes.

    from http_load import Get, Form, run
    run(port, [Get("/healthz/")], connections=16, seconds=5)

Each process drives its share of the connections from one selector loop (no thread, no http.client):
a loop sends a request, waits for the whole answer, records the time and sends the next one (a closed
loop). A connection is reused while the server keeps it open; gunicorn's sync workers close it after
each answer (as a reverse proxy's upstream connection would be), so then the loop connects again, and
the time counted includes the connect. Only 127.0.0.1 is contacted.

What a loop sends is drawn from a list of steps: `Get` (one request) or `Form` (a GET of the page with
the form, then a POST of its fields with the CSRF token and cookie the GET gave). `mode="repeat"` draws
with replacement; `mode="once"` sends each item at most once (split between the processes), so a URL
never requested before stays so, and the phase ends early when the list runs out. `bump` names
Redis keys to increment before each request (the page cache's versions), so that every answer is
rendered afresh even when a URL comes back.

The result: per label ("get", "form", "post"), the number of requests, those with an unexpected
status, requests per second, median, 95th and 99th percentile; and the CPU seconds the generator's
processes used, to tell whether it was the bottleneck.
"""

import contextlib
import multiprocessing
import random
import re
import resource
import selectors
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "127.0.0.1"
TIMEOUT = 60.0
TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Get:
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    expect: tuple[int, ...] = (200,)


@dataclass(frozen=True)
class Form:
    """Fetch `page`, then post `fields` to `action` (default: the page) with its CSRF token and cookie."""

    page: str
    fields: tuple[tuple[str, str], ...]
    action: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    expect: tuple[int, ...] = (302,)


@dataclass
class Outcome:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    elapsed: float = 0.0


def encode(method: str, path: str, port: int, headers, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "User-Agent: tescforce-bench",
             "Accept: text/html", *(f"{k}: {v}" for k, v in headers)]
    if method == "POST":
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# --------------------------------------------------------------------------------------------- responses
class Response:
    """An answer read incrementally; `feed` returns True once it is whole."""

    def __init__(self):
        self.buffer = bytearray()
        self.head_end = -1
        self.status = 0
        self.headers: dict[str, str] = {}
        self.cookies: list[str] = []
        self.length: int | None = None
        self.chunked = False
        self.body = b""
        self.keep_alive = True

    def _parse_head(self) -> None:
        head = bytes(self.buffer[:self.head_end]).decode("latin-1").split("\r\n")
        version, status = head[0].split(" ", 2)[:2]
        self.status = int(status)
        for line in head[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self.cookies.append(value.split(";", 1)[0])
            self.headers[name] = value
        if "content-length" in self.headers:
            self.length = int(self.headers["content-length"])
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        connection = self.headers.get("connection", "").lower()
        self.keep_alive = connection != "close" and (version == "HTTP/1.1" or connection == "keep-alive")
        if self.length is None and not self.chunked:
            self.keep_alive = False  # the body ends when the server closes

    def feed(self, data: bytes) -> bool:
        if not data:  # closed by the server
            self.keep_alive = False
            if self.head_end < 0:
                raise ConnectionError("closed before an answer")
            self.body = bytes(self.buffer[self.head_end + 4:])
            return True
        self.buffer += data
        if self.head_end < 0:
            self.head_end = self.buffer.find(b"\r\n\r\n")
            if self.head_end < 0:
                return False
            self._parse_head()
        start = self.head_end + 4
        if self.length is not None:
            if len(self.buffer) - start >= self.length:
                self.body = bytes(self.buffer[start:start + self.length])
                return True
            return False
        if self.chunked:
            return self._dechunk(start)
        return False

    def _dechunk(self, start: int) -> bool:
        body, pos, data = bytearray(), start, self.buffer
        while True:
            line_end = data.find(b"\r\n", pos)
            if line_end < 0:
                return False
            size = int(bytes(data[pos:line_end]).split(b";")[0], 16)
            if size == 0:
                if data.find(b"\r\n", line_end + 2) < 0:
                    return False
                self.body = bytes(body)
                return True
            if len(data) < line_end + 2 + size + 2:
                return False
            body += data[line_end + 2:line_end + 2 + size]
            pos = line_end + 2 + size + 2


# --------------------------------------------------------------------------------------------- steps
def steps(item, port: int):
    """The requests of one item, as a generator: yields (label, request bytes, expected statuses) and is
    sent each Response back."""
    if isinstance(item, Get):
        yield "get", encode("GET", item.path, port, item.headers), item.expect
        return
    page = yield "form", encode("GET", item.page, port, item.headers), (200,)
    match = TOKEN_RE.search(page.body)
    cookies = [c for c in page.cookies if c] + [v for k, v in item.headers if k.lower() == "cookie"]
    if match is None or not any(c.startswith("csrftoken=") for c in cookies):
        raise ValueError("no CSRF token in the form's page")
    body = urlencode([*item.fields, ("csrfmiddlewaretoken", match.group(1).decode())], doseq=True).encode()
    headers = [(k, v) for k, v in item.headers if k.lower() != "cookie"] + [("Cookie", "; ".join(cookies))]
    yield "post", encode("POST", item.action or item.page, port, headers, body), item.expect


class Bumper:
    """INCR of Redis keys before each request, over one plain connection (RESP by hand, no client)."""

    def __init__(self, redis: tuple[str, int, int], keys: tuple[str, ...]):
        host, port, db = redis
        self.sock = socket.create_connection((host, port), timeout=10)
        self.command = b"".join(self._resp("INCR", key) for key in keys)
        self.replies = len(keys)
        self.sock.sendall(self._resp("SELECT", str(db)))
        self._read(1)

    @staticmethod
    def _resp(*words: str) -> bytes:
        return f"*{len(words)}\r\n".encode() + b"".join(f"${len(w.encode())}\r\n{w}\r\n".encode() for w in words)

    def _read(self, replies: int) -> None:
        data = b""
        while data.count(b"\r\n") < replies:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("Redis closed the connection")
            data += chunk
        if data.startswith(b"-"):
            raise ConnectionError(data.decode(errors="replace").strip())

    def __call__(self) -> None:
        self.sock.sendall(self.command)
        self._read(self.replies)


# --------------------------------------------------------------------------------------------- one process
class Loop:
    """One connection's closed loop: its socket, the item it is on and the request it waits for."""

    def __init__(self):
        self.sock: socket.socket | None = None
        self.flow = None
        self.label = ""
        self.expect: tuple[int, ...] = ()
        self.response: Response | None = None
        self.started = 0.0


def _worker(port, items, mode, connections, seconds, bump, seed, pipe) -> None:
    rng = random.Random(seed)
    outcome = Outcome()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    selector = selectors.DefaultSelector()
    bumper = Bumper(*bump) if bump else None
    queue = list(items)
    if mode == "once":
        queue.reverse()  # pop() takes them in the given order
    started = time.perf_counter()
    deadline = started + seconds

    def next_item():
        if mode == "once":
            return queue.pop() if queue else None
        return rng.choice(queue)

    def close(loop: Loop) -> None:
        if loop.sock is not None:
            with contextlib.suppress(KeyError):  # not registered yet when the first send failed
                selector.unregister(loop.sock)
            loop.sock.close()
            loop.sock = None

    def send(loop: Loop, request: bytes) -> None:
        if bumper is not None:
            bumper()
        loop.started = time.perf_counter()
        if loop.sock is None:
            loop.sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
            loop.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            loop.sock.sendall(request)
            loop.sock.setblocking(False)
            selector.register(loop.sock, selectors.EVENT_READ, loop)
        else:
            loop.sock.setblocking(True)
            loop.sock.sendall(request)
            loop.sock.setblocking(False)
        loop.response = Response()

    def advance(loop: Loop, response: Response | None) -> bool:
        """Send the loop's next request (of this item or the next one); False when there is none."""
        while True:
            try:
                if loop.flow is not None:
                    loop.label, request, loop.expect = loop.flow.send(response)
                    send(loop, request)
                    return True
            except StopIteration:
                pass
            except (ValueError, OSError):
                outcome.errors[loop.label] = outcome.errors.get(loop.label, 0) + 1
                close(loop)
            response = None
            loop.flow = None
            if time.perf_counter() >= deadline:
                return False
            item = next_item()
            if item is None:
                return False
            loop.flow = steps(item, port)  # a new generator's send(None) yields its first request

    active = sum(advance(Loop(), None) for _ in range(connections))
    while active:
        events = selector.select(timeout=1.0)
        now = time.perf_counter()
        if not events:
            for key in list(selector.get_map().values()):
                loop = key.data
                if now - loop.started > TIMEOUT:
                    outcome.errors[loop.label] = outcome.errors.get(loop.label, 0) + 1
                    close(loop)
                    loop.flow = None
                    active -= 0 if advance(loop, None) else 1
            continue
        for key, _ in events:
            loop = key.data
            try:
                data = loop.sock.recv(262144)
                done = loop.response.feed(data)
            except (OSError, ValueError):
                outcome.errors[loop.label] = outcome.errors.get(loop.label, 0) + 1
                close(loop)
                loop.flow = None
                if not advance(loop, None):
                    active -= 1
                continue
            if not done:
                continue
            response = loop.response
            outcome.times.setdefault(loop.label, []).append(time.perf_counter() - loop.started)
            outcome.statuses[response.status] = outcome.statuses.get(response.status, 0) + 1
            if response.status not in loop.expect:
                outcome.errors[loop.label] = outcome.errors.get(loop.label, 0) + 1
            if not response.keep_alive:
                close(loop)
            if not advance(loop, response):
                close(loop)
                active -= 1
    outcome.elapsed = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_SELF)
    outcome.cpu_seconds = (used.ru_utime - cpu.ru_utime) + (used.ru_stime - cpu.ru_stime)
    pipe.send(outcome)
    pipe.close()


# --------------------------------------------------------------------------------------------- results
def percentile(ordered: list[float], share: float) -> float:
    """The value below which `share` of the ordered sample lies (nearest rank)."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def merge(outcomes: list[Outcome]) -> Outcome:
    total = Outcome()
    for o in outcomes:
        for label, times in o.times.items():
            total.times.setdefault(label, []).extend(times)
        for label, n in o.errors.items():
            total.errors[label] = total.errors.get(label, 0) + n
        for status, n in o.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + n
        total.cpu_seconds += o.cpu_seconds
        total.elapsed = max(total.elapsed, o.elapsed)
    return total


def summarise(outcome: Outcome) -> dict:
    """Figures per label, in milliseconds and requests per second of the whole phase."""
    figures = {}
    for label in sorted(set(outcome.times) | set(outcome.errors)):
        times = sorted(outcome.times.get(label, []))
        figures[label] = {
            "requests": len(times),
            "errors": outcome.errors.get(label, 0),
            "rps": round(len(times) / outcome.elapsed, 1) if outcome.elapsed else 0.0,
            "median_ms": round(percentile(times, 0.5) * 1000, 1),
            "p95_ms": round(percentile(times, 0.95) * 1000, 1),
            "p99_ms": round(percentile(times, 0.99) * 1000, 1),
        }
    return {"labels": figures, "seconds": round(outcome.elapsed, 2),
            "statuses": {str(k): v for k, v in sorted(outcome.statuses.items())},
            "generator_cpu_seconds": round(outcome.cpu_seconds, 2)}


def shares(items: list, parts: int) -> list[list]:
    """Split items between `parts` processes, keeping their order within each share."""
    return [items[i::parts] for i in range(parts)]


def run(port: int, items: list, *, connections: int, seconds: float, mode: str = "repeat", processes: int = 2,
        bump: tuple | None = None, seed: int = 0) -> dict:
    """Load 127.0.0.1:port with `connections` closed loops over `processes` processes for `seconds`."""
    if not items:
        raise ValueError("nothing to request")
    processes = max(1, min(processes, connections))
    per_process = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    parts = shares(items, processes) if mode == "once" else [items] * processes
    context = multiprocessing.get_context("fork")
    children = []
    for n in range(processes):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_worker, args=(port, parts[n], mode, per_process[n], seconds, bump,
                                                      seed * 1000 + n, sender), daemon=True)
        child.start()
        sender.close()
        children.append((child, receiver))
    outcomes = []
    for child, receiver in children:
        try:
            outcomes.append(receiver.recv())
        except EOFError:
            outcomes.append(Outcome(errors={"crashed": 1}))
        child.join()
    return summarise(merge(outcomes))
