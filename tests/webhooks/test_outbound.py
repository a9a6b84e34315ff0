"""Outbound integrations, delivered to a real HTTP server on 127.0.0.1 that
checks each request with the standardwebhooks library."""

import ast
import ipaddress
import json
import ssl
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
import urllib3.util.connection
from django.urls import reverse
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from account.events import business_event, emit
from leads.services import lead_create
from webhooks import outbound, targets
from webhooks.models import Delivery, Integration

from .addresses import LOCAL_FORMS, PUBLIC_IP, install_fake_dns, local_dns

pytestmark = pytest.mark.django_db


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.status = 200
        self.delay = 0
        self.secret = None
        self.received = []  # (headers, body, verified payload or error)
        self.sni = []  # server names asked for in TLS handshakes
        self.errors = []
        if tls is not None:
            tls.sni_callback = lambda sock, name, context: self.sni.append(name)
            self.socket = tls.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def handle_error(self, request, client_address):
        self.errors.append(sys.exc_info()[1])


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            verified = Webhook(server.secret).verify(body, headers) if server.secret else None
        except WebhookVerificationError as exc:
            verified = exc
        server.received.append((headers, body, verified))
        if server.delay:
            time.sleep(server.delay)
        self.send_response(server.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(f"answer {server.status}".encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """Start listeners on 127.0.0.1; they are stopped after the test."""
    servers = []

    def start(tls=None):
        server = Receiver(tls)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver(serve):
    return serve()


@pytest.fixture
def integration(business, receiver):
    integration = Integration.objects.create(
        business=business,
        name="CRM",
        url=receiver.url,
        events=["lead.created", "booking.created"],
    )
    receiver.secret = integration.signing_secret
    return integration


def make_lead(business, capture, name="Ana Ruiz"):
    with capture(execute=True):
        return lead_create(business=business, name=name, phone="+15125550111")


def test_lead_created_is_delivered_signed(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    lead = make_lead(business, django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    headers, body, verified = receiver.received[0]
    assert not isinstance(verified, Exception), verified
    assert set(verified) == {"type", "timestamp", "data"}
    assert verified["type"] == "lead.created"
    assert verified["data"]["id"] == lead.public_id
    assert verified["data"]["phone"] == "+15125550111"
    assert headers["webhook-id"].startswith("msg_")
    assert headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.response_status == 200
    assert delivery.response_snippet == "answer 200"
    assert delivery.attempts == 1
    assert headers["webhook-id"] == delivery.message_id


def test_signature_with_another_secret_fails_verification(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    receiver.secret = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
    make_lead(business, django_capture_on_commit_callbacks)
    assert isinstance(receiver.received[0][2], WebhookVerificationError)


def test_domain_event_signal_delivers_to_subscribers_only(
    business, other_business, integration, receiver, django_capture_on_commit_callbacks
):
    Integration.objects.create(
        business=business, name="Invoices only", url=receiver.url, events=["invoice.paid"]
    )
    Integration.objects.create(
        business=business,
        name="Off",
        url=receiver.url,
        events=["booking.created"],
        is_active=False,
    )
    Integration.objects.create(
        business=other_business, name="Theirs", url=receiver.url, events=["booking.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        emit(business=business, event_type="booking.created", data={"id": "BK-TEST"})
    assert Delivery.objects.get().integration == integration
    assert len(receiver.received) == 1
    assert receiver.received[0][2]["data"] == {"id": "BK-TEST"}


def test_signal_receiver_is_connected():
    assert business_event.has_listeners()


def test_nothing_is_sent_before_commit(business, integration, receiver):
    # Inside the test transaction, on_commit callbacks never run. The
    # delivery is written with the change (an outbox), and only sent after
    # the commit.
    lead_create(business=business, name="Pending", phone="+15125550112")
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)


def test_a_rolled_back_change_leaves_no_delivery(business, integration, receiver):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        lead_create(business=business, name="Rolled back", phone="+15125550113")
        raise RuntimeError("the change fails after the event")
    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_retry_schedule_is_about_an_hour_with_at_least_five_attempts():
    delays = []
    attempts = 1
    while (delay := outbound.retry_delay(attempts)) is not None:
        delays.append(delay)
        attempts += 1
    assert attempts == outbound.MAX_ATTEMPTS >= 5
    assert delays == sorted(delays)
    assert timedelta(minutes=50) <= sum(delays, timedelta()) <= timedelta(minutes=75)
    assert outbound.retry_delay(0) is None


def drive(delivery):
    """Attempt a delivery until it is final, each attempt when it is due (as
    the worker runs a deferred retry); returns the delivery."""
    from django.utils import timezone

    for _ in range(outbound.MAX_ATTEMPTS + 2):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        delivery = outbound.delivery_attempt(delivery_id=delivery.pk)
        if delivery.is_final:
            return delivery
    raise AssertionError("delivery never finished")


def test_server_error_is_retried_then_fails(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    make_lead(business, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.attempts == 1
    assert delivery.response_status == 500
    assert delivery.next_attempt_at > delivery.last_attempt_at
    delivery = drive(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == outbound.MAX_ATTEMPTS
    assert len(receiver.received) == outbound.MAX_ATTEMPTS
    # Every retry carries the same message id and body.
    assert len({headers["webhook-id"] for headers, _, _ in receiver.received}) == 1
    assert len({body for _, body, _ in receiver.received}) == 1
    integration.refresh_from_db()
    assert integration.consecutive_failures == 1
    assert integration.paused_at is None


def test_ten_failed_deliveries_in_a_row_pause_the_integration(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    for n in range(outbound.PAUSE_AFTER_FAILED_DELIVERIES):
        make_lead(business, django_capture_on_commit_callbacks, name=f"Lead {n}")
        drive(Delivery.objects.order_by("-pk").first())
        integration.refresh_from_db()
        if n < outbound.PAUSE_AFTER_FAILED_DELIVERIES - 1:
            assert integration.paused_at is None
    assert integration.paused_at is not None
    assert not integration.is_active
    assert "10 deliveries in a row failed" in integration.paused_reason
    assert "HTTP 500" in integration.paused_reason
    # Paused: new events are not delivered.
    sent = len(receiver.received)
    make_lead(business, django_capture_on_commit_callbacks, name="After pause")
    assert len(receiver.received) == sent
    # The owner sees why on the integrations page.
    from django.test import Client

    client = Client()
    client.force_login(business.memberships.get().user)
    page = client.get(reverse("webhooks:integration_list"))
    assert b"10 deliveries in a row failed" in page.content


def test_a_success_resets_the_failure_count(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    make_lead(business, django_capture_on_commit_callbacks)
    drive(Delivery.objects.get())
    integration.refresh_from_db()
    assert integration.consecutive_failures == 1
    receiver.status = 204
    make_lead(business, django_capture_on_commit_callbacks, name="Second")
    integration.refresh_from_db()
    assert integration.consecutive_failures == 0


def test_redirect_is_not_followed_and_counts_as_failure(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 302
    make_lead(business, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert len(receiver.received) == 1


def test_timeout_is_a_failed_attempt(
    business, integration, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(outbound, "TIMEOUT_SECONDS", 0.2)
    receiver.delay = 1
    make_lead(business, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.response_status is None
    assert "could not reach" in delivery.error


def test_private_targets_are_refused_in_production(
    business, integration, receiver, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    make_lead(business, django_capture_on_commit_callbacks)
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert "private or local address" in delivery.error
    assert delivery.status == Delivery.Status.RETRYING


# --- Address guard (webhooks.targets) -------------------------------------------------


@pytest.fixture
def dns(monkeypatch):
    return install_fake_dns(monkeypatch)


def is_ip(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Connections(list):
    route = None


@pytest.fixture
def connections(monkeypatch):
    """Record where the HTTP client connects. Connections to an address in
    `connections.route` go to that local port; to any other IP address that
    is not loopback they fail at once: nothing leaves the machine."""
    real = urllib3.util.connection.create_connection
    made, route = Connections(), {}

    def create_connection(address, *args, **kwargs):
        host, port = address
        host = host.strip("[]")
        made.append((host, port))
        if host in route:
            return real(("127.0.0.1", route[host]), *args, **kwargs)
        if is_ip(host) and not ipaddress.ip_address(host).is_loopback:
            raise OSError(101, "Network is unreachable (test)")
        # Loopback, or a name the client resolves itself (through `dns`).
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    made.route = route
    return made


def send_test_event(owner_client, integration):
    with_commit = owner_client.post(reverse("webhooks:integration_test", args=[integration.pk]))
    assert with_commit.status_code == 302
    return Delivery.objects.filter(integration=integration).latest("pk")


@pytest.mark.parametrize("form", LOCAL_FORMS)
def test_no_form_of_a_local_address_reaches_the_listener(
    form,
    owner_client,
    business,
    receiver,
    dns,
    connections,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    local_dns(dns)
    # Saved before the form checked addresses (the form refuses these now).
    integration = Integration.objects.create(
        business=business, name="Probe", url=form.format(port=receiver.port), events=[]
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_test_event(owner_client, integration)
    assert receiver.received == []
    assert connections == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error.startswith("Refused, not sent:"), delivery.error
    assert delivery.response_status is None
    assert delivery.response_snippet == ""
    page = owner_client.get(reverse("webhooks:integration_deliveries", args=[integration.pk]))
    assert b"Refused, not sent" in page.content
    assert b"answer 200" not in page.content


def test_backslash_and_user_info_are_refused_even_when_private_targets_are_allowed(
    business, receiver, connections, django_capture_on_commit_callbacks
):
    for form in LOCAL_FORMS[:2] + LOCAL_FORMS[-3:]:
        url = form.format(port=receiver.port)
        with pytest.raises(targets.UnsafeTarget):
            targets.check_target(url)
    assert connections == []


def test_a_dns_answer_that_changes_after_the_check_cannot_move_the_connection(
    business, integration, receiver, dns, connections, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    # Public when checked, this machine on any later lookup.
    dns.answers["rebind.example"] = [PUBLIC_IP, "127.0.0.1"]
    integration.url = f"http://rebind.example:{receiver.port}/hook"
    integration.save()
    make_lead(business, django_capture_on_commit_callbacks)
    assert receiver.received == []
    assert dns.lookups == ["rebind.example"]  # resolved once
    assert connections == [(PUBLIC_IP, receiver.port)]  # to the vetted address
    delivery = Delivery.objects.get()
    assert "could not reach the target" in delivery.error


def test_a_public_target_receives_signed_deliveries_at_the_vetted_address(
    business, integration, receiver, dns, connections, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    dns.answers["hooks.example"] = [PUBLIC_IP, "127.0.0.1"]
    connections.route[PUBLIC_IP] = receiver.port  # the public host, played locally
    integration.url = f"http://hooks.example:{receiver.port}/in?key=1"
    integration.save()
    lead = make_lead(business, django_capture_on_commit_callbacks)
    assert connections == [(PUBLIC_IP, receiver.port)]
    headers, _, verified = receiver.received[0]
    assert not isinstance(verified, Exception), verified
    assert verified["data"]["id"] == lead.public_id
    assert headers["host"] == f"hooks.example:{receiver.port}"
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


@pytest.fixture
def tls_receiver(serve, tmp_path, monkeypatch):
    """An https listener on 127.0.0.1 whose certificate names `hooks.fieldbook.test`,
    issued by a test CA that the sender trusts."""
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setattr(targets, "CA_CERTS", str(ca_file))

    def start(name="hooks.fieldbook.test"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(name).configure_cert(context)
        return serve(tls=context)

    return start


def test_https_connects_to_the_vetted_address_with_the_real_name_for_tls(
    business, integration, tls_receiver, dns, django_capture_on_commit_callbacks
):
    receiver = tls_receiver()
    receiver.secret = integration.signing_secret
    # The first answer is used; a later lookup would say somewhere else.
    dns.answers["hooks.fieldbook.test"] = ["127.0.0.1", "10.255.255.1"]
    integration.url = f"https://hooks.fieldbook.test:{receiver.port}/hook"
    integration.save()
    make_lead(business, django_capture_on_commit_callbacks)
    assert dns.lookups == ["hooks.fieldbook.test"]
    assert receiver.sni == ["hooks.fieldbook.test"]
    headers, _, verified = receiver.received[0]
    assert not isinstance(verified, Exception), verified
    assert headers["host"] == f"hooks.fieldbook.test:{receiver.port}"
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_https_refuses_a_certificate_for_another_name(
    business, integration, tls_receiver, dns, django_capture_on_commit_callbacks
):
    receiver = tls_receiver(name="other.fieldbook.test")
    dns.answers["hooks.fieldbook.test"] = ["127.0.0.1"]
    integration.url = f"https://hooks.fieldbook.test:{receiver.port}/hook"
    integration.save()
    make_lead(business, django_capture_on_commit_callbacks)
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert delivery.error == "SSLError: could not reach the target."


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "198.18.0.1",
        "192.0.2.1",
        "::1",
        "::",
        "fe80::1",
        "fec0::1",
        "fc00::1",
        "ff02::1",
        "2001:db8::1",
        "::127.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:93.184.216.34",
        "::93.184.216.34",
        "64:ff9b::10.0.0.1",
        "64:ff9b:1::127.0.0.1",
        "2002:c0a8:0101::1",
        "2002:7f00:1::",
    ],
)
def test_non_public_addresses(address):
    assert not targets.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1::", "2002:5db8:d822::1", "64:ff9b::5db8:d822"]
)
def test_public_addresses(address):
    assert targets.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8000/x",
        "http://10.1.2.3/x",
        "http://192.168.1.10/x",
        "http://172.16.0.5/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://[fe80::1]/x",
        "http://[fe80::1%25eth0]/x",
        "http://0.0.0.0/x",
        "http://100.64.0.1/x",
    ],
)
def test_check_target_refuses_non_public_addresses(settings, url):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(targets.UnsafeTarget):
        targets.check_target(url)


def test_check_target_allows_public_addresses_and_private_when_allowed(settings):
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = False
    targets.check_target("https://93.184.216.34/hook")
    settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS = True
    targets.check_target("http://127.0.0.1:9/hook")
    with pytest.raises(targets.UnsafeTarget):
        targets.check_target("ftp://93.184.216.34/hook")


@pytest.mark.parametrize(
    ("url", "host", "port", "path", "host_header"),
    [
        ("https://Hooks.Example.com./a/b?x=1#frag", "hooks.example.com", 443, "/a/b?x=1", None),
        (
            "http://[2606:2800:220:1::]:8080/",
            "2606:2800:220:1::",
            8080,
            "/",
            "[2606:2800:220:1::]:8080",
        ),
        ("https://exämple.com/p/ä", "xn--exmple-cua.com", 443, "/p/%C3%A4", "xn--exmple-cua.com"),
    ],
)
def test_parse_target(url, host, port, path, host_header):
    target = targets.parse_target(url)
    assert (target.host, target.port, target.path) == (host, port, path)
    assert target.host_header == (host_header or host)


def test_retry_is_deferred_with_a_database_backend(
    business, integration, receiver, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    receiver.status = 503
    make_lead(business, django_capture_on_commit_callbacks)  # immediate: first attempt fails
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    delivery = Delivery.objects.get()
    Delivery.objects.update(next_attempt_at=timezone.now())  # the retry is due
    with django_capture_on_commit_callbacks(execute=True):
        delivery = outbound.delivery_attempt(delivery_id=delivery.pk)
    assert delivery.attempts == 2
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"] == {"delivery_id": delivery.pk}
    assert task.run_after == delivery.next_attempt_at
    assert len(receiver.received) == 2  # nothing ran early


def test_webhooks_retry_command_sends_due_deliveries(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    receiver.status = 500
    make_lead(business, django_capture_on_commit_callbacks)
    receiver.status = 200
    call_command("webhooks_retry", stdout=StringIO())
    assert Delivery.objects.get().status == Delivery.Status.RETRYING  # not due yet
    Delivery.objects.update(next_attempt_at=timezone.now())
    call_command("webhooks_retry", stdout=StringIO())
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


# --- Pages ------------------------------------------------------------------------


def test_send_test_event(owner_client, integration, receiver, django_capture_on_commit_callbacks):
    url = reverse("webhooks:integration_test", args=[integration.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url)
    assert response.status_code == 302
    assert receiver.received[0][2]["type"] == "integration.test"
    page = owner_client.get(reverse("webhooks:integration_deliveries", args=[integration.pk]))
    assert b"integration.test" in page.content
    assert b"Delivered" in page.content
    assert owner_client.get(url).status_code == 405


def test_delivery_pages_access(
    client, member_client, outsider_client, integration, django_capture_on_commit_callbacks
):
    log = reverse("webhooks:integration_deliveries", args=[integration.pk])
    test = reverse("webhooks:integration_test", args=[integration.pk])
    resume = reverse("webhooks:integration_resume", args=[integration.pk])
    assert client.get(log).status_code == 302
    assert client.post(test).status_code == 302
    assert member_client.get(log).status_code == 403
    assert member_client.post(test).status_code == 403
    for url in (test, resume):
        with django_capture_on_commit_callbacks(execute=True):
            assert outsider_client.post(url).status_code == 404
    assert outsider_client.get(log).status_code == 404
    assert not Delivery.objects.exists()


def test_delivery_log_queries_are_bounded(
    owner_client, business, integration, django_assert_max_num_queries
):
    Delivery.objects.bulk_create(
        Delivery(
            business=business,
            integration=integration,
            message_id=f"msg_{n}",
            event_type="lead.created",
            payload={},
        )
        for n in range(60)
    )
    url = reverse("webhooks:integration_deliveries", args=[integration.pk])
    # session, user, membership+business, integration, count, page of deliveries
    with django_assert_max_num_queries(8):
        response = owner_client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"lead.created") == 25


def test_resume_after_pause(owner_client, integration):
    Integration.objects.filter(pk=integration.pk).update(
        is_active=False, paused_at="2026-01-01T00:00:00Z", consecutive_failures=10
    )
    response = owner_client.post(reverse("webhooks:integration_resume", args=[integration.pk]))
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.is_active and integration.paused_at is None
    assert integration.consecutive_failures == 0


def test_saving_a_paused_integration_as_active_resumes_it(owner_client, integration):
    Integration.objects.filter(pk=integration.pk).update(
        is_active=False,
        paused_at="2026-01-01T00:00:00Z",
        paused_reason="x",
        consecutive_failures=10,
    )
    response = owner_client.post(
        reverse("webhooks:integration_edit", args=[integration.pk]),
        {"name": "CRM", "url": integration.url, "events": ["lead.created"], "is_active": "on"},
    )
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.paused_at is None and integration.consecutive_failures == 0


def test_json_body_is_compact_and_stable(
    business, integration, receiver, django_capture_on_commit_callbacks
):
    make_lead(business, django_capture_on_commit_callbacks)
    _, body, _ = receiver.received[0]
    assert json.loads(body)["type"] == "lead.created"


# --- Import direction ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: inside the same package
                package = ".".join(path.parent.relative_to(ROOT).parts)
                base = f"{package}.{base}" if base else package
                names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


def test_account_does_not_import_webhooks():
    for path in (ROOT / "account").rglob("*.py"):
        imported = _imported_modules(path)
        assert not any(name.split(".")[0] == "webhooks" for name in imported), path


def test_outbound_code_imports_neither_the_inbox_nor_its_tasks():
    for module in ("outbound", "targets", "receivers", "models"):
        imported = _imported_modules(ROOT / "webhooks" / f"{module}.py")
        assert not imported & {"webhooks.tasks", "webhooks.services"}, module
