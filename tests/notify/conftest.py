import pytest

from notify.models import NotificationSettings


def switch_on(business, **fields):
    values = {
        "confirmation_enabled": True,
        "reminder_enabled": True,
        "invoice_reminders_enabled": True,
        "crew_digest_enabled": True,
        **fields,
    }
    notification_settings, _ = NotificationSettings.objects.update_or_create(
        business=business, defaults=values
    )
    business.refresh_from_db()
    return notification_settings


@pytest.fixture
def notify_on(business):
    return switch_on(business)
