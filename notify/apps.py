from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Emails to customers and crew (booking confirmations, day-before
    reminders, overdue-invoice reminders, the crew's jobs of tomorrow), sent
    through the task queue, each logged and sent once."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "notify"
    verbose_name = "Reminders"

    def ready(self):
        from account.events import business_event

        from . import receivers

        business_event.connect(
            receivers.confirm_new_booking, dispatch_uid="notify.confirm_new_booking"
        )
