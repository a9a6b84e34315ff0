from django.apps import AppConfig


class CrmConfig(AppConfig):
    """The restaurant CRM in the browser: pages that compose restaurants,
    contacts, interactions and call plans. The top layer of the CRM: it may
    import `restaurants`, `contact`, `track` and `call`; none of them imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = "Restaurant CRM"
