"""The shapes of the inbound payloads Fieldbook reads, declared once.

Each sender's payload is described by dataclasses (`webhooks.retell` and
`webhooks.thumbtack` declare theirs) and read with `read(Shape, value)`. The
reader is lenient on purpose, so that an odd payload never loses a lead: a
value of the wrong JSON type becomes the field's empty value ("" for text,
None for numbers and flags, {} / [] for objects and lists) instead of an
exception. A field whose JSON name differs from the Python one says so with
`key("negotiationID")`.

Also here: making stored text safe (`clean_json`), and fitting an outside id
into a column (`fit_id`)."""

import dataclasses
import hashlib
import re
import types
import typing
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text):
    """`text` without NUL characters (PostgreSQL refuses them) and with lone
    surrogates (which cannot be encoded) replaced."""
    text = text.replace("\x00", "")
    return _SURROGATES.sub("\ufffd", text)


def clean_json(value):
    """A copy of decoded JSON with every string and key made storable by
    `clean_text`. Iterative, so depth is no concern."""
    root = {"value": value}
    stack = [(root, "value", value)]
    while stack:
        parent, slot, item = stack.pop()
        if isinstance(item, str):
            parent[slot] = clean_text(item)
        elif isinstance(item, dict):
            copy = {}
            parent[slot] = copy
            for k, v in item.items():
                name = clean_text(k) if isinstance(k, str) else k
                copy[name] = v
                stack.append((copy, name, v))
        elif isinstance(item, list):
            copy = list(item)
            parent[slot] = copy
            stack.extend((copy, index, v) for index, v in enumerate(item))
    return root["value"]


def fit_id(value, max_length):
    """An outside id as stored in a column of `max_length`: itself when it
    fits, else `sha256:<hex>` of it (stable, so repeats still match)."""
    if len(value) <= max_length:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


def cut(value, max_length):
    return (value or "")[:max_length]


# --- Reading declared shapes -------------------------------------------------------


def key(json_name):
    """A field read from `json_name` in the payload."""
    return dataclasses.field(metadata={"json": json_name})


def text(value):
    """A payload value as stripped text: numbers become text, objects and
    lists become ""."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    if isinstance(value, str):
        return clean_text(value).strip()
    return str(value)


def whole_number(value):
    """A whole number from 3, 3.0 or "3"; None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def flag(value):
    return value if isinstance(value, bool) else None


@cache
def _hints(cls):
    return typing.get_type_hints(cls)


def _empty(tp):
    if dataclasses.is_dataclass(tp):
        return read(tp, {})
    origin = typing.get_origin(tp)
    if tp is dict or origin is dict:
        return {}
    if tp is list or origin is list:
        return []
    if tp is str:
        return ""
    return None


def _convert(tp, value):
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(tp) if m is not type(None)]
        for member in members:
            if _matches(member, value):
                return _convert(member, value)
        return _empty(members[0]) if type(None) not in typing.get_args(tp) else None
    if dataclasses.is_dataclass(tp):
        return read(tp, value)
    if tp is str:
        return text(value)
    if tp is int:
        return whole_number(value)
    if tp is bool:
        return flag(value)
    if tp is dict or origin is dict:
        return value if isinstance(value, dict) else {}
    if tp is list or origin is list:
        if not isinstance(value, list):
            return []
        (item_type,) = typing.get_args(tp) or (Any,)
        if dataclasses.is_dataclass(item_type):
            return [read(item_type, item) for item in value if isinstance(item, dict)]
        return [_convert(item_type, item) for item in value]
    return value


def _matches(tp, value):
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp) or tp is dict or origin is dict:
        return isinstance(value, dict)
    if tp is list or origin is list:
        return isinstance(value, list)
    return value is not None and not isinstance(value, dict | list)


def read(cls, value):
    """An instance of the dataclass `cls` from decoded JSON `value` (anything:
    a non-object reads as an empty one)."""
    value = value if isinstance(value, dict) else {}
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        name = field.metadata.get("json", field.name)
        tp = hints[field.name]
        kwargs[field.name] = _convert(tp, value[name]) if name in value else _empty(tp)
    return cls(**kwargs)
