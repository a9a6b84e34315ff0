"""What `make bench` measures: one line per page or endpoint, and the budgets.

A target's `path` is filled in from the data set's references (see
`bench.data.Builder.build`), e.g. "/booking/detail/{booking_id}/". Targets
whose every request must differ (a PDF not rendered yet, a webhook delivery
with new ids) give `make` instead: a function returning that many requests.
A new page joins the benchmark, and the query-count test of the suite, with
one line in TARGETS.

Plain Python, no Django: the load generator prepares requests from here, and
the in-process query count (bench.queries) replays the same requests.
"""

import base64
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from . import payloads

PAGE = "page"  # an HTML page
API = "api"  # a JSON API list
INGEST = "ingest"  # an inbound webhook
PDF = "pdf"  # an invoice PDF, already rendered
PDF_FIRST = "pdf-first"  # an invoice PDF rendered for the first time
INFO = "info"  # shown for comparison, no budget

BARE = "bare Django view"
BARE_PATH = "/bench/bare/"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple = ()  # ((name, value), …)
    body: bytes = b""

    def raw(self, host):
        """The request as bytes on the wire (HTTP/1.1, keep-alive)."""
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass
class Client:
    """What a signed-in client holds: the data set's references, a session
    cookie (sign-in form) and a JWT (/api/token/)."""

    refs: dict
    session_cookie: str = ""  # "sessionid=…"
    kind_cookies: dict = field(default_factory=dict)  # {kind: "sessionid=…"}: one-kind owners
    jwt: str = ""
    taken: dict = field(default_factory=dict)

    def take(self, name, n):
        """The next `n` unused values of the reference list `name`."""
        start = self.taken.get(name, 0)
        values = self.refs[name][start : start + n]
        self.taken[name] = start + len(values)
        return values

    def auth_headers(self, auth):
        if auth == "session":
            return (("Cookie", self.session_cookie),)
        if auth.startswith("session:"):
            return (("Cookie", self.kind_cookies[auth.partition(":")[2]]),)
        if auth == "jwt":
            return (("Authorization", f"Bearer {self.jwt}"), ("Accept", "application/json"))
        return ()


@dataclass(frozen=True)
class Target:
    name: str
    kind: str
    path: str = ""
    auth: str = "session"  # "session", "session:<kind>" (a one-kind owner), "jwt" or "none"
    make: object = None  # (target, client, n) -> [Request]; for requests that must differ
    max_queries: int = 10  # checked by the test suite on a tiny data set

    def requests(self, client, n=1):
        if self.make is not None:
            return self.make(self, client, n)
        path = self.path.format(**client.refs)
        return [Request("GET", path, client.auth_headers(self.auth))]


# --- requests that differ every time -----------------------------------------------


def first_pdfs(target, client, n):
    """Invoices whose PDF has not been rendered yet, one per request."""
    headers = client.auth_headers(target.auth)
    return [
        Request("GET", f"/booking/invoices/{invoice_id}/generate-pdf/", headers)
        for invoice_id in client.take("pdf_first_ids", n)
    ]


def _caller(rng):
    first, last = rng.choice(payloads.FIRST_NAMES), rng.choice(payloads.LAST_NAMES)
    bedrooms = rng.randint(1, 5)
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{first}.{last}{rng.randint(1, 9999)}@example.com".lower(),
        "phone": f"+1512{rng.randint(201, 999)}{rng.randint(0, 9999):04d}",
        "address": f"{rng.randint(100, 9999)} {rng.choice(payloads.STREETS)} St",
        "city": "Austin",
        "state": "TX",
        "zip_code": f"787{rng.randint(0, 99):02d}",
        "service_type": rng.choice(("standard", "deep", "move_in_out", "airbnb")),
        "bedrooms": bedrooms,
        "bathrooms": max(1, bedrooms - 1),
        "square_feet": bedrooms * 500,
    }


def retell_deliveries(target, client, n):
    """Signed Retell `call_analyzed` deliveries that book, each with a new call."""
    refs, rng = client.refs, random.Random()
    now = payloads.now_utc()
    path = f"/webhook/{refs['webhook_secret']}/"
    requests = []
    for _ in range(n):
        caller = _caller(rng)
        appointment = (datetime.now() + timedelta(days=rng.randint(2, 30))).replace(
            hour=rng.randint(8, 16), minute=0, second=0, microsecond=0
        )
        payload = payloads.retell_call(
            rng,
            event="call_analyzed",
            call_id=payloads.new_call_id(),
            from_number=caller["phone"],
            to_number="+15125550100",
            ended_at=now,
            customer=caller,
            appointment=appointment,
            business_name="Benchmark Home Cleaning",
        )
        body = json.dumps(payload).encode()
        signature = payloads.retell_signature(
            body, refs["retell_api_key"], int(now.timestamp() * 1000)
        )
        headers = (("Content-Type", "application/json"), ("X-Retell-Signature", signature))
        requests.append(Request("POST", path, headers, body))
    return requests


def thumbtack_deliveries(target, client, n):
    """Thumbtack `NegotiationCreatedV4` deliveries (HTTP Basic), each a new negotiation."""
    refs, rng = client.refs, random.Random()
    login = f"{refs['thumbtack_username']}:{refs['thumbtack_password']}".encode()
    authorization = "Basic " + base64.b64encode(login).decode()
    now = payloads.now_utc()
    requests = []
    for _ in range(n):
        payload = payloads.thumbtack_negotiation(
            rng,
            negotiation_id=str(uuid.uuid4().int % 10**18),
            created_at=now,
            customer=_caller(rng),
            business_name="Benchmark Home Cleaning",
        )
        headers = (("Content-Type", "application/json"), ("Authorization", authorization))
        requests.append(
            Request("POST", "/thumbtack-webhook/", headers, json.dumps(payload).encode())
        )
    return requests


def online_bookings(target, client, n):
    """Bookings posted to the public booking page, each a new customer in a
    window chosen at random among the page's (two-hour windows, 08:00-18:00,
    2 to 60 days ahead; capacity 100 a window)."""
    refs, rng = client.refs, random.Random()
    path = f"/book/{refs['booking_page_slug']}/"
    requests = []
    for _ in range(n):
        caller = _caller(rng)
        day = datetime.now().date() + timedelta(days=rng.randint(3, 59))
        slot = f"{day.isoformat()}T{rng.choice((8, 10, 12, 14, 16)):02d}:00"
        form = {
            "form_token": refs["booking_form_token"],
            "service_type": caller["service_type"],
            "frequency": "one_time",
            "bedrooms": caller["bedrooms"],
            "bathrooms": caller["bathrooms"],
            "square_feet": caller["square_feet"],
            "slot": slot,
            "address": caller["address"],
            "city": caller["city"],
            "state": caller["state"],
            "zip_code": caller["zip_code"],
            "customer_first_name": caller["first_name"],
            "customer_last_name": caller["last_name"],
            "customer_email": caller["email"],
            "customer_phone": caller["phone"],
            "website": "",
        }
        body = urlencode(form).encode()
        headers = (("Content-Type", "application/x-www-form-urlencoded"),)
        requests.append(Request("POST", path, headers, body))
    return requests


# --- the targets -----------------------------------------------------------------------

BARE_TARGET = Target(BARE, INFO, BARE_PATH, auth="none", max_queries=0)  # measured first and last

# max_queries: the count on a tiny data set with an empty cache (the suite
# holds every target to it, and checks that four times the rows asks no more).
# A signed-in page starts with two: the session, and the user with its
# membership and business.
TARGETS = [
    Target("bare view, signed in", INFO, BARE_PATH, max_queries=2),
    Target("home dashboard", PAGE, "/", max_queries=25),
    Target("home dashboard, cleaning only", PAGE, "/", auth="session:home", max_queries=15),
    Target(
        "home dashboard, restaurants only", PAGE, "/", auth="session:restaurants", max_queries=15
    ),
    Target("booking list", PAGE, "/booking/", max_queries=7),
    Target("booking list, search ?q=", PAGE, "/booking/?q={search}", max_queries=7),
    Target("booking detail", PAGE, "/booking/detail/{booking_id}/", max_queries=10),
    Target("calendar, month", PAGE, "/booking/calendar/?view=month", max_queries=6),
    Target("my jobs", PAGE, "/booking/my-jobs/", max_queries=5),
    Target("series page", PAGE, "/booking/series/{series_id}/", max_queries=8),
    Target("series page, past", PAGE, "/booking/series/{series_id}/?show=past", max_queries=8),
    Target("invoice list", PAGE, "/booking/invoices/", max_queries=5),
    Target("invoice detail", PAGE, "/booking/invoices/detail/{invoice_id}/", max_queries=7),
    Target("lead list", PAGE, "/leads/", max_queries=5),
    Target("reminder settings", PAGE, "/account/business/reminders/", max_queries=5),
    Target(
        "reminder preview",
        PAGE,
        "/account/business/reminders/preview/confirmation/",
        max_queries=5,
    ),
    Target("customer list", PAGE, "/customers/", max_queries=7),
    Target("customer list, search ?q=", PAGE, "/customers/?q={search}", max_queries=7),
    Target("customer detail", PAGE, "/customers/{customer_id}/", max_queries=15),
    Target("customer picker search", PAGE, "/customers/search/?customer_q={search}", max_queries=6),
    # Exports grow with the rows they hold (streamed, in bounded memory): no budget.
    Target("customers CSV export", INFO, "/customers/export/?upcoming=yes", max_queries=6),
    Target("bookings CSV export", INFO, "/booking/export/?status=scheduled", max_queries=6),
    Target("webhook inbox", PAGE, "/webhooks/inbox/", max_queries=5),
    Target("restaurants page", PAGE, "/restaurants/", max_queries=7),
    Target(
        "restaurants, search and filter",
        PAGE,
        "/restaurants/?q={restaurant_search}&status=CONVERTED&sort=next_call",
        max_queries=7,
    ),
    Target("restaurant detail, busy", PAGE, "/restaurants/{busy_restaurant_id}/", max_queries=8),
    Target("pipeline board", PAGE, "/restaurants/board/", max_queries=6),
    Target("calls today, mine", PAGE, "/restaurants/calls/today/", max_queries=8),
    Target("calls today, everyone's", PAGE, "/restaurants/calls/today/?who=all", max_queries=9),
    Target("account performance", PAGE, "/restaurants/performance/", max_queries=6),
    Target(
        "restaurants CSV export, one city",
        PAGE,
        "/restaurants/export/?city={restaurant_city}&status=QUALIFIED",
        max_queries=3,
    ),
    Target("API restaurants", API, "/lead/restaurants/", auth="jwt", max_queries=3),
    Target("API contacts", API, "/contact/contacts/", auth="jwt", max_queries=3),
    Target("API interactions", API, "/track/interactions/", auth="jwt", max_queries=3),
    Target(
        "API interactions ?lead=",
        API,
        "/track/interactions/?lead={restaurant_id}",
        auth="jwt",
        max_queries=3,
    ),
    Target("API calls due today", API, "/call/today/", auth="jwt", max_queries=3),
    Target(
        "API account performance",
        API,
        "/lead/restaurants/performance/",
        auth="jwt",
        max_queries=6,
    ),
    Target(
        "invoice PDF, cached",
        PDF,
        "/booking/invoices/{pdf_invoice_id}/generate-pdf/",
        max_queries=8,
    ),
    Target("invoice PDF, first render", PDF_FIRST, make=first_pdfs, max_queries=8),
    Target("booking page", PAGE, "/book/{booking_page_slug}/", auth="none", max_queries=10),
    Target("booking page, book", INGEST, auth="none", make=online_bookings, max_queries=58),
    Target("Retell ingest", INGEST, auth="none", make=retell_deliveries, max_queries=5),
    Target("Thumbtack ingest", INGEST, auth="none", make=thumbtack_deliveries, max_queries=5),
]


# --- budgets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    min_bare: float | None = None  # requests/s as a share of the bare view's
    max_p99_ms: float | None = None
    min_large_small: float | None = None  # large-size share of bare ÷ small-size share
    flat_queries: bool = False  # no more queries per request at the large size


LIST_BUDGET = Budget(min_bare=0.10, max_p99_ms=250, min_large_small=0.8, flat_queries=True)
BUDGETS = {
    PAGE: LIST_BUDGET,
    API: LIST_BUDGET,
    INGEST: Budget(min_bare=0.3),
    PDF: Budget(min_bare=0.5),
    PDF_FIRST: Budget(),
    INFO: Budget(),
}


def select(names_filter=""):
    """The targets whose name or kind contains one of the comma-separated words."""
    words = [w.strip().lower() for w in names_filter.split(",") if w.strip()]
    if not words:
        return list(TARGETS)
    return [t for t in TARGETS if any(w in t.name.lower() or w == t.kind for w in words)]
