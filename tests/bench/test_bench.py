"""The load benchmark's data-set builder, target table and report, on a tiny
data set, so that they cannot rot between runs of `make bench` (which is not
part of the test suite)."""

from decimal import Decimal

import phonenumbers
import pytest
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient
from retell.lib.webhook_auth import symmetric

from bench import data, payloads, queries, report, targets
from booking import pricing
from booking.models import Booking, Invoice, InvoiceCounter
from leads.models import Lead
from restaurants.models import Restaurant
from track.models import Interaction
from webhooks import inbox
from webhooks.models import WebhookEvent

TINY = 0.002  # 100 bookings, 50 invoices, 60 leads and inbox events, 20 restaurants

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_settings(settings):
    settings.ROOT_URLCONF = "bench.urls"
    # As in production: webhook ingest only stores the event and enqueues it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


@pytest.fixture
def refs(bench_settings):
    return data.build(TINY, small_businesses=2, password="bench-password-123")


def sign_in(refs):
    """A session from the sign-in form and a JWT from /api/token/, as the
    benchmark gets them from its server."""
    browser = HttpClient()
    response = browser.post(
        "/account/login/", {"username": refs["username"], "password": refs["password"]}
    )
    assert response.status_code == 302
    token = HttpClient().post(
        "/api/token/",
        {"username": refs["username"], "password": refs["password"]},
        content_type="application/json",
    )
    assert token.status_code == 200
    kind_cookies = {}
    for kind, username in refs["kind_users"].items():
        other = HttpClient()
        response = other.post(
            "/account/login/", {"username": username, "password": refs["password"]}
        )
        assert response.status_code == 302
        kind_cookies[kind] = f"sessionid={other.cookies['sessionid'].value}"
    return targets.Client(
        refs,
        session_cookie=f"sessionid={browser.cookies['sessionid'].value}",
        jwt=token.json()["access"],
        kind_cookies=kind_cookies,
    )


def test_every_target_answers_2xx_with_bounded_queries(refs):
    client = sign_in(refs)
    named = [(t.name, t.requests(client, 1)[0]) for t in [targets.BARE_TARGET, *targets.TARGETS]]
    results = queries.measure(named)
    problems = []
    for target in [targets.BARE_TARGET, *targets.TARGETS]:
        result = results[target.name]
        if not 200 <= result["status"] < 300:
            problems.append(f"{target.name}: status {result['status']}")
        elif result["queries"] > target.max_queries:
            problems.append(
                f"{target.name}: {result['queries']} queries, at most {target.max_queries}"
            )
    assert not problems, problems
    assert results[targets.BARE].get("queries") == 0


def test_ingest_requests_are_new_deliveries_each_time(refs):
    client = sign_in(refs)
    for name in ("Retell ingest", "Thumbtack ingest"):
        target = next(t for t in targets.TARGETS if t.name == name)
        requests = target.requests(client, 3)
        assert len({r.body for r in requests}) == 3
        for request in requests:
            headers = dict(request.headers)
            response = HttpClient().generic(
                "POST",
                request.path,
                request.body,
                content_type=headers.pop("Content-Type"),
                headers=headers,
            )
            assert response.status_code == 202, response.content
    assert WebhookEvent.objects.filter(status="received").count() == 6


def test_first_render_pdfs_are_each_a_different_invoice(refs):
    client = sign_in(refs)
    target = next(t for t in targets.TARGETS if t.kind == targets.PDF_FIRST)
    first, second = target.requests(client, 2), target.requests(client, 2)
    paths = {r.path for r in first + second}
    assert len(paths) == 4
    assert not any(refs["pdf_invoice_id"] in path for path in paths)


def test_data_set_looks_like_what_the_services_write(refs):
    business_id = refs["business_id"]
    counts = data.LARGE_BUSINESS.scaled(TINY)
    assert Booking.objects.filter(business_id=business_id).count() == counts.bookings
    assert Invoice.objects.filter(business_id=business_id).count() <= counts.invoices
    assert Lead.objects.filter(business_id=business_id).count() == counts.leads
    assert WebhookEvent.objects.filter(business_id=business_id).count() == counts.events
    assert Restaurant.objects.filter(business_id=business_id).count() == counts.restaurants
    interactions = Interaction.objects.filter(restaurant__business_id=business_id)
    assert interactions.count() == counts.interactions
    # Other businesses around it, so tenant filters have rows to skip.
    assert Booking.objects.exclude(business_id=business_id).count() == 2 * 50

    # Price snapshots add up, as booking.pricing computes them.
    for booking in Booking.objects.prefetch_related("lines")[:30]:
        lines = list(booking.lines.all())
        assert lines and lines[0].kind == "base"
        subtotal, tax, total = pricing.totals([line.amount for line in lines], booking.tax_rate)
        assert (booking.subtotal, booking.tax, booking.total) == (subtotal, tax, total)

    # Invoice numbers are gapless per business, and the counter knows the last one.
    invoices = Invoice.objects.filter(business_id=business_id).order_by("sequence")
    assert [i.sequence for i in invoices] == list(range(1, invoices.count() + 1))
    assert invoices.first().number == "INV-0001"
    assert InvoiceCounter.objects.get(business_id=business_id).last_number == invoices.count()
    for invoice in invoices.prefetch_related("payments"):
        paid = sum((p.amount for p in invoice.payments.all()), Decimal("0.00"))
        assert invoice.amount_paid == paid
        assert invoice.status != "paid" or paid == invoice.total

    # Phones are valid E.164.
    for phone in Booking.objects.values_list("customer_phone", flat=True)[:50]:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone

    # Inbox events carry the dedupe key the webhooks compute from their payload.
    for event in WebhookEvent.objects.all()[:60]:
        assert inbox.dedupe_key_for(event.source, event.event_type, event.payload) == (
            event.dedupe_key
        )

    # History goes back years and bookings reach months ahead.
    starts = Booking.objects.filter(business_id=business_id).values_list("start", flat=True)
    assert (max(starts) - min(starts)).days > 365
    assert len({r.timezone for r in Restaurant.objects.filter(business_id=business_id)}) > 1


def test_bench_signature_is_retells():
    body = b'{"event": "call_analyzed"}'
    ours = payloads.retell_signature(body, "key_abc", 1767287415123)
    assert ours == symmetric["sign"](body.decode(), "key_abc", 1767287415123)


def test_bare_view_is_not_mounted_outside_the_benchmark(client):
    assert client.get(targets.BARE_PATH).status_code == 404


def test_report_marks_missed_budgets():
    def run(rps, p99=20.0, non_2xx=0, queries=5):
        return {
            "rps": rps,
            "p50_ms": 5.0,
            "p95_ms": 10.0,
            "p99_ms": p99,
            "non_2xx": non_2xx,
            "statuses": {"500": non_2xx} if non_2xx else {},
            "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
            "pool_wrapped": False,
            "queries": queries,
        }

    def size(pages, lists, ingest):
        return {
            "bare_start": run(1000),
            "bare_end": run(1000),
            "targets": {"booking list": pages, "API restaurants": lists, "Retell ingest": ingest},
        }

    results = {
        "sizes": {
            "large": size(run(50, p99=900, queries=8), run(300), run(400, non_2xx=3)),
            "small": size(run(200, queries=6), run(310), run(400)),
        }
    }
    table = report.build(results, targets.TARGETS)
    rows = {row["target"]: row for row in table["rows"]}
    failed = {n: [label for label, ok in r["marks"] if not ok] for n, r in rows.items()}
    assert failed["booking list"] == [
        "≥ 0.10 × bare",
        "p99 < 250 ms",
        "L/S ≥ 0.8",
        "queries flat",
    ]
    assert failed["API restaurants"] == []
    assert failed["Retell ingest"] == ["non-2xx"]
    assert rows["booking list"]["large_small"] == 0.25
    text = report.text_table(table)
    assert "✗ ≥ 0.10 × bare, p99 < 250 ms, L/S ≥ 0.8, queries flat" in text
    assert "3 (500: 3)" in text


def test_query_counts_do_not_grow_with_rows(bench_settings):
    """Every target asks as many queries of a business with four times the
    rows (a second data set beside the first, so the tables hold both).
    Both sets are big enough that every list and search has rows."""
    small, large = TINY * 5, TINY * 20
    counts = {}
    for scale, seed in ((small, 1), (large, 2)):
        refs = data.build(scale, seed=seed, small_businesses=2, password="bench-password-123")
        client = sign_in(refs)
        named = [(t.name, t.requests(client, 1)[0]) for t in targets.TARGETS]
        queries.measure(named[:1])  # the cache's own first writes are not a page's
        counts[scale] = {name: r["queries"] for name, r in queries.measure(named).items()}
        # The second data set reuses the account names: free them.
        for user in get_user_model().objects.all():
            user.username, user.email = f"x{seed}-{user.username}", f"x{seed}-{user.email}"
            user.save(update_fields=["username", "email"])
    grown = {
        name: (counts[small][name], counts[large][name])
        for name in counts[small]
        if counts[large][name] > counts[small][name]
    }
    assert not grown, grown
