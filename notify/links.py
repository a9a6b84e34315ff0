"""The customer's own page, linked from every customer message.

`customer_link(obj)` returns a full URL to the page where the customer of
`obj` (a booking or an invoice) sees it, or "" when there is no such page.
The public booking and customer pages (signed links) plug in here; until
then messages carry no link and the `{link}` placeholder is empty.
"""


def customer_link(obj):
    return ""
