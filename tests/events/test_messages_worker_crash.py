"""A real worker killed with -9 mid-run against a slow SMTP server: no message lost, none sent twice.

The SMTP server runs in this process on 127.0.0.1, answers every command after a short delay and
spends longer before it accepts a message (as a server that scans mail does). It counts the messages
it accepted by Message-ID, which each outbox row fixes. Figures are printed for the record.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from events import emails
from events.models import MessageSent, Registration
from tescforce.celery import app as celery_app
from tests import factories
from tests.matching.test_matching_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 500
LEASE = 12  # seconds; the worker's EMAIL_TIMEOUT is 1 s


class SlowSMTPServer:
    """A minimal SMTP server on 127.0.0.1 that answers slowly; `accepted` lists the Message-IDs it took."""

    def __init__(self, reply_delay=0.004, accept_delay=0.02):
        self.reply_delay, self.accept_delay = reply_delay, accept_delay
        self.accepted: list[str] = []
        self.busy = 0  # connections in the middle of a mail transaction
        self.hold = False  # while True, no message is accepted (the test kills the worker then)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def start(self):
        self.thread.start()
        self.ready.wait(10)
        return self

    def stop(self):
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _reply(self, writer, line):
        await asyncio.sleep(self.reply_delay)
        writer.write(line.encode() + b"\r\n")
        await writer.drain()

    async def _session(self, reader, writer):
        in_transaction = False
        try:
            await self._reply(writer, "220 slow.test ESMTP")
            while True:
                line = await reader.readline()
                if not line:
                    return
                verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    await self._reply(writer, "250 slow.test")
                elif verb == "MAIL":
                    self.busy += not in_transaction
                    in_transaction = True
                    await self._reply(writer, "250 OK")
                elif verb in ("RCPT", "RSET", "NOOP"):
                    await self._reply(writer, "250 OK")
                elif verb == "DATA":
                    await self._reply(writer, "354 End data with <CR><LF>.<CR><LF>")
                    message_id = ""
                    while (data := await reader.readline()) not in (b".\r\n", b""):
                        if data.lower().startswith(b"message-id:"):
                            message_id = data.decode().split(":", 1)[1].strip()
                    if not data:
                        return  # the client died before the end of the message: nothing accepted
                    await asyncio.sleep(self.accept_delay)
                    held = self.hold
                    while self.hold:
                        await asyncio.sleep(0.001)
                    await asyncio.sleep(0.05 if held else 0)  # let a hang-up that came meanwhile be seen
                    if reader.at_eof() or writer.is_closing():
                        return  # the client hung up before the server took the message: not accepted
                    # Accepted only now, and told at once: from here the message counts as delivered.
                    self.accepted.append(message_id)
                    self.busy -= 1
                    in_transaction = False
                    writer.write(b"250 OK queued\r\n")
                    await writer.drain()
                elif verb == "QUIT":
                    await self._reply(writer, "221 Bye")
                    return
                else:
                    await self._reply(writer, "502 Not implemented")
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self.busy -= in_transaction
            writer.close()


def _start_worker(queue, env, log):
    return subprocess.Popen(  # noqa: S603 - our own worker command
        [sys.executable, "-m", "celery", "-A", "tescforce", "worker", "--pool", "prefork", "--concurrency", "4",
         "--queues", queue, "--hostname", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _stop(worker):
    if worker.poll() is None or _group_alive(worker.pid):
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _group_alive(pgid) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _queued(queue) -> int:
    """How many tasks wait in the queue, not yet taken by a worker."""
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.client.llen(queue)


def _forget_queue(queue):
    """Delete our queue and the dead worker's unacknowledged deliveries of it from Redis."""
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_delete(queue)
        client = channel.client
        for tag, payload in client.hgetall("unacked").items():
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_worker_mid_run_loses_no_message_and_sends_none_twice(capsys):
    server = SlowSMTPServer().start()
    queue = f"test-crash-{uuid.uuid4().hex[:10]}"
    log_dir = ROOT / "test-results"
    log_dir.mkdir(exist_ok=True)
    log = (log_dir / f"celery-crash-{queue}.log").open("w")
    env = {**os.environ, "REDIS_URL": settings.REDIS_URL, "DATABASE_URL": _database_url(),
           "EMAIL_URL": f"smtp://127.0.0.1:{server.port}", "EMAIL_TIMEOUT": "1",
           "MESSAGE_CLAIM_LEASE": str(LEASE), "DB_CONN_MAX_AGE": "0"}
    workers = []
    try:
        session = factories.SessionFactory(capacity=MESSAGES)
        candidates = factories.CandidateFactory.create_batch(MESSAGES)
        registrations = Registration.objects.bulk_create(
            [Registration(session=session, candidate=c, status="confirmed") for c in candidates])
        messages = MessageSent.objects.bulk_create(
            [MessageSent(session=session, registration=r, kind="confirmed", variant=r.created_at.isoformat())
             for r in registrations])
        expected = {emails.message_id_for(m) for m in messages}
        started = time.monotonic()
        workers.append(_start_worker(queue, env, log))
        from events.tasks import deliver_message

        # The queue is named on each send: the router built by earlier tests would ignore a change of routes.
        for message in messages:
            deliver_message.apply_async((message.pk,), queue=queue)

        # Kill the whole worker (parent and children) about a third of the way, while its four
        # processes are each in the middle of a send that the slow server has not accepted yet.
        assert _wait_for(lambda: len(server.accepted) >= MESSAGES // 3, 180), Path(log.name).read_text()[-3000:]
        server.hold = True
        assert _wait_for(lambda: server.busy >= 4, 0.5)  # well under the worker's 1 s EMAIL_TIMEOUT
        os.killpg(workers[0].pid, signal.SIGKILL)
        killed = time.monotonic()
        workers[0].wait(timeout=10)
        # The children die a moment after the parent: let the kernel close all their connections first.
        assert _wait_for(lambda: not _group_alive(workers[0].pid), 10)
        server.hold = False
        time.sleep(0.2)
        killed_at = len(server.accepted)
        claimed_unsent = set(MessageSent.objects.filter(state="claimed").values_list("pk", flat=True))
        # A row the server accepted but the worker could not mark: the one case that may repeat.
        accepted_unmarked = sum(1 for m in messages if m.pk in claimed_unsent
                                and emails.message_id_for(m) in server.accepted)

        workers.append(_start_worker(queue, env, log))
        # The new worker drains the queue while the dead worker's claims, all made before the kill, age
        # past their lease; then the sweeper sends what they held.
        assert _wait_for(lambda: _queued(queue) == 0, 120), Path(log.name).read_text()[-3000:]
        time.sleep(max(0.0, killed + LEASE + 1 - time.monotonic()))
        swept = celery_app.send_task("events.tasks.sweep_messages", queue=queue).get(
            timeout=60, disable_sync_subtasks=False)
        assert _wait_for(lambda: not MessageSent.objects.exclude(state="sent").exists(), 30), \
            list(MessageSent.objects.exclude(state="sent").values_list("pk", "state", "attempts")[:10])
        seconds = time.monotonic() - started

        counts = Counter(server.accepted)
        duplicates = sum(n - 1 for n in counts.values() if n > 1)
        lost = len(expected - set(counts))
        with capsys.disabled():
            print(f"\nworker crash run: messages={MESSAGES} accepted={len(server.accepted)} "
                  f"unique={len(counts)} duplicates={duplicates} lost={lost} accepted_at_kill={killed_at} "
                  f"claimed_at_kill={len(claimed_unsent)} accepted_but_unmarked_at_kill={accepted_unmarked} "
                  f"swept={swept} "
                  f"seconds={seconds:.1f}")
        assert set(counts) == expected
        assert lost == 0
        # Only a message the server took in the milliseconds before its row was marked may repeat.
        assert duplicates == accepted_unmarked
        assert duplicates == 0
        assert MessageSent.objects.filter(state="sent").count() == MESSAGES
    finally:
        for worker in workers:
            _stop(worker)
        log.close()
        server.stop()
        _forget_queue(queue)
