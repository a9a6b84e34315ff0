"""Demo inbox: Retell calls and a Thumbtack lead with its message, stored
and processed exactly as real deliveries are; one ignored and one failed
event to show the inbox states. Idempotent."""

from datetime import timedelta

from .inbox import dedupe_key_for, webhook_event_process, webhook_event_store
from .models import WebhookEvent


def _call(call_id, from_number, summary, sentiment, data, transcript):
    return {
        "event": "call_analyzed",
        "call": {
            "call_type": "phone_call",
            "call_id": call_id,
            "from_number": from_number,
            "to_number": "+15125550100",
            "direction": "inbound",
            "call_status": "ended",
            "duration_ms": 131_000,
            "transcript": transcript,
            "recording_url": f"https://recordings.example.com/{call_id}/recording.wav",
            "call_analysis": {
                "call_summary": summary,
                "user_sentiment": sentiment,
                "call_successful": True,
                "custom_analysis_data": data,
            },
        },
    }


def _payloads(business):
    day = business.today() + timedelta(days=5)
    return [
        (
            "retell",
            _call(
                "call_demo_maria_lopez",
                "+15125550143",
                "Maria Lopez booked a deep clean of a 3 bed / 2 bath home with oven and windows.",
                "Positive",
                {
                    "appointment_booked": True,
                    "first_name": "Maria",
                    "last_name": "Lopez",
                    "email": "maria.lopez@example.com",
                    "phone": "+15125550143",
                    "address": "1208 Elm Street",
                    "city": "Austin",
                    "state": "TX",
                    "zip_code": "78704",
                    "service_type": "deep",
                    "appointment_datetime": f"{day.isoformat()}T09:00:00",
                    "bedrooms": 3,
                    "bathrooms": 2,
                    "square_feet": "1500",
                    "oven": 1,
                    "windows": 4,
                    "notes": "Gate code 4412. Two friendly dogs.",
                },
                "Agent: Thanks for calling Sparkle Home Cleaning, this is Ava.\n"
                "User: Hi, I'd like a deep clean next week.\n",
            ),
        ),
        (
            "retell",
            _call(
                "call_demo_chris_nguyen",
                "+15125550177",
                "Chris asked for a move-out clean quote; will call back with the square footage.",
                "Neutral",
                {
                    "appointment_booked": True,
                    "first_name": "Chris",
                    "last_name": "Nguyen",
                    "service_type": "move out",
                    "bedrooms": "2",
                },
                "Agent: How can I help?\nUser: I'm moving out at the end of the month.\n",
            ),
        ),
        (
            "thumbtack",
            {
                "event": {"eventType": "NegotiationCreatedV4", "webhookID": "demo"},
                "data": {
                    "negotiationID": "demo-590301122334455667",
                    "createdAt": "2026-03-04T15:22:04Z",
                    "customer": {
                        "firstName": "Dana",
                        "lastName": "Whitfield",
                        "phone": "5125550188",
                    },
                    "request": {
                        "category": {"name": "House Cleaning"},
                        "description": "Two-storey house, biweekly cleaning wanted.",
                        "location": {"city": "Austin", "state": "TX", "zipCode": "78756"},
                        "proposedTimes": [
                            {"start": f"{day.isoformat()}T15:00:00Z", "end": ""},
                        ],
                        "details": [
                            {"question": "How often?", "answer": "Every other week"},
                            {"question": "Bedrooms", "answer": "4"},
                        ],
                    },
                    "estimate": {"total": "$1,234.56"},
                },
            },
        ),
        (
            "thumbtack",
            {
                "event": {"eventType": "MessageCreatedV4", "webhookID": "demo"},
                "data": {
                    "messageID": "demo-590301998877665544",
                    "negotiationID": "demo-590301122334455667",
                    "from": "Customer",
                    "customer": {"displayName": "Dana W."},
                    "text": "Could you come on Thursday mornings?",
                    "sentAt": "2026-03-04T15:40:09Z",
                },
            },
        ),
        (
            "retell",
            {"event": "transcript_updated", "call": {"call_id": "call_demo_maria_lopez"}},
        ),
        (
            "thumbtack",
            {
                "event": {"eventType": "NegotiationCreatedV4", "webhookID": "demo"},
                "data": {"customer": {"firstName": "Broken"}, "note": "no negotiationID"},
            },
        ),
    ]


def seed(*, business, owner, member):
    for source, payload in _payloads(business):
        event_type = payload["event"] if source == "retell" else payload["event"]["eventType"]
        key = dedupe_key_for(source, event_type, payload)
        if WebhookEvent.objects.filter(business=business, source=source, dedupe_key=key).exists():
            continue
        event, _ = webhook_event_store(
            business=business,
            source=source,
            event_type=event_type,
            dedupe_key=key,
            payload=payload,
        )
        webhook_event_process(event_id=event.pk)
