"""Two real `manage.py db_worker` processes against a real, migrated
PostgreSQL database work through 1,000 queued webhook events (Retell
`call_analyzed`, some of which book, and Thumbtack `NegotiationCreatedV4`,
each with its own ids), and the outbound deliveries they cause to an HTTP
receiver in this process.

A worker is killed with SIGKILL while it processes an event (held on a row
lock, so the kill provably lands mid-transaction), and a supervisor starts a
new one; later the worker sending one delivery is killed while the receiver
holds that request. Nothing is lost and nothing is done twice: every event
is processed once (one lead each, one booking for each booking call,
`attempts == 1`), every delivery succeeds, and only the delivery whose
sender was killed reaches the receiver twice (at least once by design, with
the same `webhook-id`). The killed workers' tasks stay "running" in the
queue for ever: the inbox, the delivery log and the sweep recovered them."""

import json
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ops.processes import ROOT, clean_env, manage, stop, throwaway_database

pytestmark = pytest.mark.postgres_only

EVENTS = 1000
RETELL_EVERY = 2  # every other event is a Retell call, the rest Thumbtack
BOOKING_EVERY = 5  # every fifth Retell call books
HELD_EVENT = 101  # a Thumbtack event: its processing is held on a row lock
HELD_DELIVERY = 700  # the lead.created delivery of this event is held in flight
SWEEP_AFTER = 8
DEADLINE = 420

SETUP = """
import json, sys
from account.events import BusinessEvent
from tests.factories import UserFactory, make_business
from tests.webhooks.conftest import load
from webhooks.inbox import webhook_event_receive
from webhooks.models import Integration, WebhookEvent

EVENTS, RETELL_EVERY, BOOKING_EVERY, HELD_EVENT = {events}, {retell}, {booking}, {held}
business = make_business(UserFactory(username="owner"))
Integration.objects.create(
    business=business, name="Receiver", url="{url}",
    events=[BusinessEvent.LEAD_CREATED, BusinessEvent.BOOKING_CREATED],
)
retell, thumbtack = load("retell/call_analyzed_booking.json"), load(
    "thumbtack/negotiation_created.json"
)
for n in range(EVENTS):
    phone = f"+1512200{{n:04d}}"
    if n % RETELL_EVERY == 0:
        payload = json.loads(json.dumps(retell))
        call = payload["call"]
        call["call_id"] = f"call_workers_{{n}}"
        call["from_number"] = phone
        data = call["call_analysis"]["custom_analysis_data"]
        data.update(phone=phone, email=f"caller{{n}}@example.com", first_name=f"Caller{{n}}")
        data["appointment_booked"] = (n // RETELL_EVERY) % BOOKING_EVERY == 0
        source = WebhookEvent.Source.RETELL
    else:
        payload = json.loads(json.dumps(thumbtack))
        payload["event"]["webhookID"] = f"wh_{{n}}"
        payload["data"]["negotiationID"] = "NEG-HELD" if n == HELD_EVENT else f"NEG-{{n}}"
        payload["data"]["customer"].update(phone=phone, firstName=f"Customer{{n}}")
        source = WebhookEvent.Source.THUMBTACK
    # As the endpoint does: store, then enqueue after the commit.
    assert webhook_event_receive(business=business, source=source, payload=payload) == "received"
print(json.dumps({{"business": business.pk}}))
"""

# Holds the lead that the held event will try to insert: its INSERT waits on
# the unique index until this transaction ends (rolled back on "go").
BLOCKER = """
import sys
from django.db import transaction
from leads.models import Lead
business_id = {business}
try:
    with transaction.atomic():
        Lead.objects.create(
            business_id=business_id, name="Blocker", source=Lead.Source.THUMBTACK,
            external_id="NEG-HELD",
        )
        print("holding", flush=True)
        sys.stdin.readline()
        raise RuntimeError("roll back")
except RuntimeError:
    print("released", flush=True)
"""


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, held_phone):
        super().__init__(("127.0.0.1", 0), Handler)
        self.held_phone = held_phone
        self.lock = threading.Lock()
        self.received = []  # (webhook-id, type, data)
        self.holding = threading.Event()
        self.release = threading.Event()

    def handle_error(self, request, client_address):
        pass  # the held request's client was killed


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with server.lock:
            server.received.append((self.headers["webhook-id"], body["type"], body["data"]))
            hold = (
                body["type"] == "lead.created"
                and body["data"].get("phone") == server.held_phone
                and not server.holding.is_set()
            )
            if hold:
                server.holding.set()
        if hold:
            server.release.wait(60)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def _rows(connect, sql, *params):
    with connect(autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()


def _value(connect, sql, *params):
    return _rows(connect, sql, *params)[0][0]


def _wait(what, check, deadline, workers=()):
    while not (result := check()):
        for process in workers:
            assert process.poll() in (None, -signal.SIGKILL), f"a worker exited: {process.args}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return result


def _running_task_of(connect, task, argument, pk):
    """The worker id of the running task `task` for `pk`, or None."""
    rows = _rows(
        connect,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
        "AND task_path = %s AND (args_kwargs -> 'kwargs' ->> %s)::bigint = %s",
        task,
        argument,
        pk,
    )
    return rows[0][0][-1] if rows else None


def test_two_workers_lose_nothing_when_one_is_killed(tmp_path):
    receiver = Receiver(held_phone=f"+1512200{HELD_DELIVERY:04d}")
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    workers = {}
    blocker = None
    try:
        with throwaway_database("workers") as (url, connect):
            try:
                env = clean_env(
                    DATABASE_URL=url,
                    DJANGO_DEBUG="0",
                    DJANGO_SECRET_KEY="test-workers-" + "x" * 40,
                    FIELDBOOK_TASKS_BACKEND="database",
                    FIELDBOOK_ALLOW_PRIVATE_WEBHOOK_TARGETS="1",
                    FIELDBOOK_AXES_ENABLED="0",
                    FIELDBOOK_SWEEP_INTERVAL_SECONDS="2",
                    FIELDBOOK_SWEEP_AFTER_SECONDS=str(SWEEP_AFTER),
                    DJANGO_LOG_LEVEL="WARNING",
                )
                manage(env, "migrate", "--noinput", "-v", "0")
                setup = SETUP.format(
                    events=EVENTS,
                    retell=RETELL_EVERY,
                    booking=BOOKING_EVERY,
                    held=HELD_EVENT,
                    url=f"http://127.0.0.1:{receiver.server_address[1]}/hook",
                )
                business = json.loads(manage(env, "shell", code=setup).splitlines()[-1])["business"]
                assert (
                    _value(connect, "SELECT count(*) FROM django_tasks_database_dbtaskresult")
                    == EVENTS
                )
                # The workers' periodic sweep is started as a deploy starts it.
                assert "Periodic sweep scheduled" in manage(env, "webhooks_sweep")
                held_event = _value(
                    connect,
                    "SELECT id FROM webhooks_webhookevent WHERE dedupe_key LIKE %s",
                    "%NEG-HELD%",
                )

                blocker = subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "shell",
                        "-v",
                        "0",
                        "-c",
                        BLOCKER.format(business=business),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=(tmp_path / "blocker.log").open("w"),
                    text=True,
                )
                assert blocker.stdout.readline().strip() == "holding"

                def start(worker_id):
                    workers[worker_id] = subprocess.Popen(
                        [
                            sys.executable,
                            "manage.py",
                            "db_worker",
                            "--no-reload",
                            "--no-startup-delay",
                            "--interval",
                            "0.2",
                            "--worker-id",
                            worker_id,
                            "-v",
                            "0",
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=(tmp_path / f"{worker_id}.log").open("w"),
                    )

                start("w1")
                start("w2")
                deadline = time.monotonic() + DEADLINE

                # 1. A worker takes the held event and waits on the row lock,
                #    inside the transaction that processes it. Kill it there.
                victim = _wait(
                    "the held event to be taken",
                    lambda: _running_task_of(
                        connect, "webhooks.inbox.process_webhook_event", "event_id", held_event
                    ),
                    deadline,
                    workers.values(),
                )
                _wait(
                    "the worker to wait on the lock",
                    lambda: _value(
                        connect,
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'",
                    ),
                    deadline,
                )
                workers[victim].send_signal(signal.SIGKILL)
                workers[victim].wait(30)
                blocker.stdin.write("go\n")
                blocker.stdin.flush()
                assert blocker.stdout.readline().strip() == "released"
                blocker.wait(30)
                start("w3")  # as a process supervisor restarts a dead worker

                # 2. A worker sends the held delivery and waits for the answer.
                #    Kill it there.
                assert receiver.holding.wait(DEADLINE), "the held delivery was never sent"
                held_delivery = _value(
                    connect,
                    "SELECT id FROM webhooks_delivery WHERE payload -> 'data' ->> 'phone' = %s",
                    receiver.held_phone,
                )
                second_victim = _wait(
                    "the held delivery's task",
                    lambda: _running_task_of(
                        connect, "webhooks.outbound.deliver", "delivery_id", held_delivery
                    ),
                    deadline,
                )
                workers[second_victim].send_signal(signal.SIGKILL)
                workers[second_victim].wait(30)
                receiver.release.set()

                # 3. The remaining worker and the sweep finish everything.
                bookings_expected = len(
                    [
                        n
                        for n in range(0, EVENTS, RETELL_EVERY)
                        if (n // RETELL_EVERY) % BOOKING_EVERY == 0
                    ]
                )

                def done():
                    left = _value(
                        connect,
                        "SELECT (SELECT count(*) FROM webhooks_webhookevent"
                        "        WHERE status <> 'processed')"
                        " + (SELECT count(*) FROM webhooks_delivery WHERE status <> 'succeeded')",
                    )
                    deliveries = _value(connect, "SELECT count(*) FROM webhooks_delivery")
                    return left == 0 and deliveries == EVENTS + bookings_expected

                _wait("every event and delivery", done, deadline, workers.values())

                events = _rows(
                    connect,
                    "SELECT status, attempts, error, lead_id FROM webhooks_webhookevent",
                )
                assert len(events) == EVENTS
                assert {(status, attempts, error) for status, attempts, error, _ in events} == {
                    ("processed", 1, "")
                }
                leads = {lead for *_, lead in events}
                assert None not in leads and len(leads) == EVENTS  # one lead each
                assert _value(connect, "SELECT count(*) FROM leads_lead") == EVENTS
                assert _value(connect, "SELECT count(*) FROM booking_booking") == bookings_expected

                deliveries = _rows(
                    connect,
                    "SELECT id, message_id, event_type, attempts FROM webhooks_delivery",
                )
                assert sorted(kind for _, _, kind, _ in deliveries) == sorted(
                    ["lead.created"] * EVENTS + ["booking.created"] * bookings_expected
                )
                sent = [webhook_id for webhook_id, _, _ in receiver.received]
                held_message = next(m for pk, m, _, _ in deliveries if pk == held_delivery)
                # Every delivery arrived; only the one whose sender died arrived twice.
                assert set(sent) == {message for _, message, _, _ in deliveries}
                assert sorted(sent) == sorted([*set(sent), held_message])
                assert {pk: attempts for pk, _, _, attempts in deliveries if attempts != 1} == {
                    held_delivery: 2
                }

                # The killed workers' tasks never finished: the queue lost them.
                orphans = _rows(
                    connect,
                    "SELECT worker_ids ->> -1 FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'RUNNING' AND worker_ids ->> -1 IN (%s, %s)",
                    victim,
                    second_victim,
                )
                assert sorted(row[0] for row in orphans) == sorted([victim, second_victim])
                survivors = [w for w in workers if w not in (victim, second_victim)]
                for worker_id in survivors:
                    assert workers[worker_id].poll() is None
                # The sweep, run by the workers, re-enqueued what the kills lost.
                logs = "".join((tmp_path / f"{w}.log").read_text() for w in workers)
                swept = re.findall(r"ids: events \[([\d, ]*)\], deliveries \[([\d, ]*)\]", logs)
                assert str(held_event) in {e for events, _ in swept for e in events.split(", ")}
                assert str(held_delivery) in {d for _, ds in swept for d in ds.split(", ")}
            finally:
                receiver.release.set()
                for process in workers.values():
                    stop(process)
                if blocker is not None:
                    stop(blocker)
    finally:
        receiver.release.set()
        receiver.shutdown()
        receiver.server_close()
