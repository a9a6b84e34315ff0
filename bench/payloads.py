"""Webhook payloads as Retell and Thumbtack send them (shapes of the samples
in tests/webhooks/fixtures/), with fresh ids, names and times.

Plain Python, no Django: the data-set builder stores them in the inbox and
the load generator posts them.
"""

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta


def words(text):
    return tuple(text.split())


FIRST_NAMES = words(
    "Maria James Olivia Liam Emma Noah Ava Lucas Sophia Mason Isabella Ethan Mia Logan "
    "Amelia Elijah Harper Aiden Evelyn Carter Abigail Jayden Emily Daniel Ella Matthew "
    "Avery Henry Scarlett Jackson Grace Sebastian Chloe David Victoria Joseph Riley Samuel "
    "Aria Owen Lily Wyatt Zoe John Nora Luke Hannah Gabriel Layla Anthony Priya Wei Fatima "
    "Diego Aisha Hiroshi Ngozi Mateo Camila Omar"
)
LAST_NAMES = words(
    "Garcia Smith Johnson Williams Brown Jones Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Patel Kim Chen Okafor Whitfield Schmidt Novak Haddad"
)
STREETS = words(
    "Elm Oak Maple Cedar Pine Willow Birch Lamar Congress Guadalupe Burnet Riverside Barton "
    "Springs Manor Cherry Pecan Live-Oak Mesquite Juniper Magnolia Bluebonnet Ranch Mill"
)
STREET_KINDS = ("St", "Ave", "Dr", "Ln", "Rd", "Blvd", "Ct", "Way", "Trail")
SUMMARIES = (
    "{name} booked a {service} of a {bedrooms} bed / {bathrooms} bath, {sqft} sq ft home.",
    "{name} asked about prices for a {service} and wants a call back.",
    "{name} wanted a {service} next week but did not pick a time.",
    "{name} asked whether pets are a problem; booked a {service}.",
)
SENTIMENTS = ("Positive", "Positive", "Neutral", "Negative")
THUMBTACK_CATEGORIES = (
    "House Cleaning",
    "Deep Cleaning Services",
    "Move-out Cleaning",
    "Vacation Rental Cleaning",
    "Carpet Cleaning",
)
THUMBTACK_QUESTIONS = (
    ("Type of property", ("Home", "Apartment", "Condo", "Townhouse")),
    ("Number of bedrooms", ("1 bedroom", "2 bedrooms", "3 bedrooms", "4 bedrooms")),
    ("How often?", ("Just once", "Every week", "Every 2 weeks", "Once a month")),
    ("When do you need this done?", ("Within a week", "As soon as possible", "Flexible")),
)
SERVICE_LABELS = {
    "standard": "standard clean",
    "deep": "deep clean",
    "move_in_out": "move-out clean",
    "airbnb": "Airbnb turnover",
}


def iso_z(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_call_id():
    return "call_" + uuid.uuid4().hex


def new_thumbtack_id(rng):
    return str(rng.randrange(10**17, 10**18))


def retell_call(
    rng,
    *,
    event,
    call_id,
    from_number,
    to_number,
    ended_at,
    customer,
    appointment=None,
    business_name="",
):
    """A Retell `call_started` / `call_ended` / `call_analyzed` payload.

    `customer`: dict with first_name, last_name, email, phone, address, city,
    state, zip_code, service_type, bedrooms, bathrooms, square_feet.
    `appointment`: naive local datetime of the booked visit, or None."""
    duration_ms = rng.randint(45_000, 420_000)
    start_ms = int(ended_at.timestamp() * 1000) - duration_ms
    name = f"{customer['first_name']} {customer['last_name']}"
    service = SERVICE_LABELS.get(customer["service_type"], "cleaning")
    call = {
        "call_type": "phone_call",
        "from_number": from_number,
        "to_number": to_number,
        "direction": "inbound",
        "call_id": call_id,
        "agent_id": "agent_4d2b9c7e1a6f4e0b8c3d5a2f",
        "agent_version": 3,
        "call_status": "registered" if event == "call_started" else "ended",
        "metadata": {},
        "retell_llm_dynamic_variables": {"business_name": business_name},
        "start_timestamp": start_ms,
    }
    if event == "call_started":
        return {"event": event, "call": call}
    call.update(
        {
            "end_timestamp": start_ms + duration_ms,
            "duration_ms": duration_ms,
            "disconnection_reason": rng.choice(("user_hangup", "agent_hangup")),
            "transcript": (
                f"Agent: Thanks for calling {business_name}, this is Ava. How can I help?\n"
                f"User: Hi, this is {name}. I'd like a {service}.\n"
                "Agent: Happy to help. How many bedrooms and bathrooms, and roughly how many "
                "square feet?\n"
                f"User: {customer['bedrooms']} bedrooms, {customer['bathrooms']} bathrooms, "
                f"about {customer['square_feet']} square feet.\n"
            ),
            "transcript_object": [
                {"role": "agent", "content": "Thanks for calling, how can I help?", "words": []},
                {"role": "user", "content": f"I'd like a {service}.", "words": []},
            ],
            "recording_url": f"https://dxc03zgurdly9.cloudfront.net/{call_id}/recording.wav",
        }
    )
    if event == "call_ended":
        return {"event": event, "call": call}
    summary = rng.choice(SUMMARIES).format(
        name=name,
        service=service,
        bedrooms=customer["bedrooms"],
        bathrooms=customer["bathrooms"],
        sqft=customer["square_feet"],
    )
    data = {
        "appointment_booked": appointment is not None,
        "first_name": customer["first_name"],
        "last_name": customer["last_name"],
        "email": customer["email"],
        "phone": customer["phone"],
        "address": customer["address"],
        "city": customer["city"],
        "state": customer["state"],
        "zip_code": customer["zip_code"],
        "service_type": customer["service_type"],
        "bedrooms": customer["bedrooms"],
        "bathrooms": customer["bathrooms"],
        "square_feet": customer["square_feet"],
    }
    if appointment is not None:
        data["appointment_datetime"] = appointment.strftime("%Y-%m-%dT%H:%M:%S")
        if rng.random() < 0.4:
            data["oven"] = 1
        if rng.random() < 0.3:
            data["windows"] = rng.randint(2, 10)
    call["call_analysis"] = {
        "call_summary": summary,
        "user_sentiment": rng.choice(SENTIMENTS),
        "call_successful": True,
        "in_voicemail": False,
        "custom_analysis_data": data,
    }
    return {"event": event, "call": call}


def thumbtack_negotiation(rng, *, negotiation_id, created_at, customer, business_name):
    """A Thumbtack `NegotiationCreatedV4` payload."""
    category = rng.choice(THUMBTACK_CATEGORIES)
    proposed = created_at + timedelta(days=rng.randint(1, 14))
    price = rng.choice((120, 145, 175, 210, 260, 320))
    return {
        "event": {
            "eventType": "NegotiationCreatedV4",
            "description": "",
            "webhookID": new_thumbtack_id(rng),
            "triggeredAt": iso_z(created_at),
        },
        "data": {
            "negotiationID": negotiation_id,
            "createdAt": iso_z(created_at),
            "status": "Open",
            "chargeState": "Created",
            "leadPrice": "$31.50",
            "leadPriceBreakdown": {"subtotal": "$29.17", "salesTax": "$2.33"},
            "customer": {
                "customerID": new_thumbtack_id(rng),
                "firstName": customer["first_name"],
                "lastName": customer["last_name"],
                "phone": customer["phone"].removeprefix("+1"),
            },
            "business": {"businessID": "468046965846925323", "name": business_name},
            "request": {
                "requestID": new_thumbtack_id(rng),
                "customerID": new_thumbtack_id(rng),
                "category": {"categoryID": "122681972262289742", "name": category},
                "description": f"Looking for {category.lower()}, {customer['bedrooms']} bedrooms.",
                "location": {
                    "address1": customer["address"],
                    "address2": "",
                    "city": customer["city"],
                    "state": customer["state"],
                    "zipCode": customer["zip_code"],
                },
                "proposedTimes": [
                    {"start": iso_z(proposed), "end": iso_z(proposed + timedelta(hours=3))}
                ],
                "travelPreferences": ["ProviderTravelToCustomer"],
                "details": [
                    {"question": question, "answer": rng.choice(answers)}
                    for question, answers in THUMBTACK_QUESTIONS
                ],
                "attachments": [],
            },
            "estimate": {
                "type": "Fixed",
                "pricePerUnit": f"{price}.00",
                "unitQuantity": 1,
                "unitName": "service",
                "total": f"${price}.00",
            },
        },
    }


def thumbtack_message(rng, *, message_id, negotiation_id, sent_at, customer, business_name):
    """A Thumbtack `MessageCreatedV4` payload from the customer."""
    return {
        "event": {
            "eventType": "MessageCreatedV4",
            "description": "",
            "webhookID": new_thumbtack_id(rng),
            "triggeredAt": iso_z(sent_at),
        },
        "data": {
            "messageID": message_id,
            "negotiationID": negotiation_id,
            "from": "Customer",
            "customer": {
                "customerID": new_thumbtack_id(rng),
                "displayName": f"{customer['first_name']} {customer['last_name'][:1]}.",
            },
            "business": {"businessID": "468046965846925323", "displayName": business_name},
            "text": rng.choice(
                (
                    "Can someone come Thursday morning?",
                    "Do you bring your own supplies?",
                    "Is the price the same for a second visit?",
                    "We have two cats, is that OK?",
                )
            ),
            "attachments": [],
            "sentAt": iso_z(sent_at),
        },
    }


def retell_signature(body, api_key, timestamp_ms):
    """`v=<ms>,d=<hex HMAC-SHA256(api_key, body + ms)>`, as Retell signs a delivery."""
    digest = hmac.new(
        api_key.encode(), body + str(timestamp_ms).encode(), hashlib.sha256
    ).hexdigest()
    return f"v={timestamp_ms},d={digest}"


def now_utc():
    return datetime.now(UTC)
