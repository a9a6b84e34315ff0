"""CSV export of the leads list, as filtered (`leads.filters.LeadFilterSet`);
rows are read in chunks as the response is sent (`core.spreadsheets`)."""

from core.phones import format_phone

CHUNK = 2000

LEAD_COLUMNS = [
    "lead_id",
    "name",
    "email",
    "phone",
    "source",
    "status",
    "priority",
    "service_wanted",
    "estimate_total",
    "customer_id",
    "notes",
    "created_at",
]


def lead_rows(queryset, business):
    tz = business.tzinfo
    queryset = queryset.select_related("customer").defer("details")
    for lead in queryset.iterator(chunk_size=CHUNK):
        yield [
            lead.public_id,
            lead.name,
            lead.email,
            format_phone(lead.phone, business),
            lead.source,
            lead.status,
            lead.priority,
            lead.service_wanted,
            "" if lead.estimate_total is None else lead.estimate_total,
            lead.customer.public_id if lead.customer_id else "",
            lead.notes,
            lead.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        ]
