"""Idempotent demo data: a demo owner, an office member, a cleaner, and a
realistic business that does both home services and restaurant accounts;
beside it, a cleaning-only business and a restaurants-only sales team, each
with its own owner and member (`EXTRA_BUSINESSES`).

Other apps add their own demo rows by defining `seed(business, owner, member)`
in a `demo` module; it is called after the accounts part, in the order of FIELDBOOK_APPS
(lowest layer first).
"""

import json
import secrets
import sys
from contextlib import nullcontext, redirect_stdout
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from account import services
from account.models import Business, Membership, User
from config.shortcuts import absolute_url

DEMO_BUSINESS = {
    "name": "Sparkle Home Cleaning",
    "email": "hello@sparkle.example.com",
    "phone": "+15125550100",
    "address": "500 Congress Ave\nAustin, TX 78701",
    "timezone": "America/Chicago",
    "currency": "USD",
    "kind": "both",
}
# kind, owner (username, email, first, last), member, business details, the
# apps whose demo data it gets.
EXTRA_BUSINESSES = [
    {
        "owner": ("demo-cleaning", "owner@brightside.example.com", "Casey", "Lin"),
        "member": ("demo-cleaning-crew", "crew@brightside.example.com", "Ali", "Haddad"),
        "business": {
            "name": "Brightside Cleaning",
            "email": "hello@brightside.example.com",
            "phone": "+15125550180",
            "address": "200 Lavaca St\nAustin, TX 78701",
            "timezone": "America/Chicago",
            "currency": "USD",
            "kind": "home",
        },
        "apps": ("booking",),
    },
    {
        "owner": ("demo-sales", "owner@harvest.example.com", "Morgan", "Blake"),
        "member": ("demo-sales-rep", "rep@harvest.example.com", "Jamie", "Cho"),
        "business": {
            "name": "Harvest Table Supply",
            "email": "sales@harvest.example.com",
            "phone": "+15125550190",
            "address": "90 Industrial Blvd\nAustin, TX 78745",
            "timezone": "America/Chicago",
            "currency": "USD",
            "kind": "restaurants",
        },
        "apps": ("crm",),
    },
]
DEMO_PRICING = {
    "base_price_standard": Decimal("40.00"),
    "base_price_deep": Decimal("70.00"),
    "base_price_move_in_out": Decimal("90.00"),
    "base_price_airbnb": Decimal("45.00"),
    "discount_weekly": Decimal("15.00"),
    "discount_biweekly": Decimal("10.00"),
    "discount_every_4_weeks": Decimal("5.00"),
    "discount_monthly": Decimal("5.00"),
    "price_per_bedroom": Decimal("20.00"),
    "price_per_bathroom": Decimal("15.00"),
    "sqft_rate_standard": Decimal("0.05"),
    "sqft_rate_deep": Decimal("0.10"),
    "sqft_rate_move_in_out": Decimal("0.12"),
    "sqft_rate_airbnb": Decimal("0.06"),
    "deposit_amount": Decimal("25.00"),
    "tax_rate": Decimal("8.25"),
    "invoice_due_days": 14,
    "invoice_notes": "Thank you for choosing Sparkle! Payment is due within 14 days.",
}
THUMBTACK_USERNAME = "sparkle-thumbtack"


class Command(BaseCommand):
    help = "Create or refresh the demo business, its owner `demo` and a member."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for the demo users (default: random).")
        parser.add_argument("--json", action="store_true", help="Print the details as JSON.")

    def handle(self, *args, password=None, json=False, **options):
        # With --json, standard output carries the JSON object only (so it
        # pipes into jq): anything else written while seeding, such as a
        # console email, goes to standard error. Logs already go there.
        with redirect_stdout(sys.stderr) if json else nullcontext():
            details, summary = self._seed(password)
        if json:
            self.stdout.write(_json_dumps(details))
        else:
            self.stdout.write(self.style.SUCCESS(summary[0]))
            for line in summary[1:]:
                self.stdout.write(line)

    def _seed(self, password):
        password = password or secrets.token_urlsafe(12)
        thumbtack_password = services.new_thumbtack_password()
        with transaction.atomic():
            owner = self._user("demo", "demo@sparkle.example.com", "Dana", "Reyes", password)
            member = self._user("demo-member", "crew@sparkle.example.com", "Sam", "Ortiz", password)
            cleaner = self._user(
                "demo-cleaner", "maria@sparkle.example.com", "Maria", "Lopez", password
            )
            business = self._business(owner, member, cleaner)
            credentials = business.credentials
            if not credentials.retell_api_key:
                credentials.retell_api_key = "key_demo_" + secrets.token_hex(12)
            credentials.voice_agent_phone = "+15125550100"
            credentials.thumbtack_username = THUMBTACK_USERNAME
            credentials.thumbtack_business_id = "468046965846925323"
            services.credentials_set_thumbtack_password(
                credentials=credentials, password=thumbtack_password
            )
            credentials.save()
            for module in self._demo_modules():
                module.seed(business=business, owner=owner, member=member)
            extra = [self._extra(spec, password) for spec in EXTRA_BUSINESSES]

        details = {
            "username": owner.username,
            "password": password,
            "business_name": business.name,
            "retell_webhook_url": absolute_url(
                None, reverse("webhooks:retell", args=[credentials.webhook_secret])
            ),
            "webhook_secret": credentials.webhook_secret,
            "retell_api_key": credentials.retell_api_key,
            "thumbtack_webhook_url": absolute_url(None, reverse("webhooks:thumbtack")),
            "thumbtack_username": credentials.thumbtack_username,
            "thumbtack_password": thumbtack_password,
        }
        summary = [
            f"Demo business “{business.name}” is ready.",
            f"  Sign in as {owner.username} / {password}",
            f"  Team member (office): {member.username} / {password}",
            f"  Cleaner: {cleaner.username} / {password}",
        ]
        for business_, owner_, member_ in extra:
            summary += [
                f"{business_.get_kind_display().split(' (')[0]} only: “{business_.name}”",
                f"  Sign in as {owner_.username} / {password} (team member: {member_.username})",
            ]
        return details, summary

    def _extra(self, spec, password):
        """A business of one kind with its own owner and member, and the demo
        data of its apps."""
        owner = self._user(*spec["owner"], password)
        member = self._user(*spec["member"], password)
        membership = Membership.objects.filter(user=owner).select_related("business").first()
        if membership is None:
            business = services.business_register(owner=owner, **spec["business"])
        else:
            business = membership.business
            Business.objects.filter(pk=business.pk).update(**spec["business"])
            business.refresh_from_db()
        Membership.objects.update_or_create(
            user=member, defaults={"business": business, "role": Membership.Role.OFFICE}
        )
        for module in self._demo_modules():
            if module.__name__.partition(".")[0] in spec["apps"]:
                module.seed(business=business, owner=owner, member=member)
        return business, owner, member

    @classmethod
    def _demo_modules(cls):
        """The apps' demo modules, in the order of FIELDBOOK_APPS (lowest layer first)."""
        modules = (cls._demo_module(name) for name in settings.FIELDBOOK_APPS)
        return [module for module in modules if module is not None]

    @staticmethod
    def _demo_module(app_name):
        if app_name == "account":
            return None
        try:
            return import_module(f"{app_name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_name}.demo":
                raise
            return None

    @staticmethod
    def _user(username, email, first_name, last_name, password):
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "first_name": first_name, "last_name": last_name},
        )
        user.set_password(password)
        user.is_active = True
        user.must_change_password = False
        user.save()
        return user

    @staticmethod
    def _business(owner, member, cleaner):
        membership = Membership.objects.filter(user=owner).select_related("business").first()
        if membership is None:
            business = services.business_register(owner=owner, **DEMO_BUSINESS)
        else:
            business = membership.business
            Business.objects.filter(pk=business.pk).update(**DEMO_BUSINESS)
        Membership.objects.update_or_create(
            user=member, defaults={"business": business, "role": Membership.Role.OFFICE}
        )
        Membership.objects.update_or_create(
            user=cleaner, defaults={"business": business, "role": Membership.Role.CLEANER}
        )
        business_settings = business.settings
        for field, value in DEMO_PRICING.items():
            setattr(business_settings, field, value)
        business_settings.pricing_updated_at = timezone.now()
        business_settings.addons_reviewed_at = timezone.now()
        business_settings.save()
        business.addons.update_or_create(
            key="inside_walls",
            defaults={"name": "Wall spot cleaning", "price": Decimal("30.00"), "is_active": True},
        )
        business.refresh_from_db()
        return business


def _json_dumps(data):
    return json.dumps(data, indent=2)
