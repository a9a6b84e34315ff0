"""Reading JSON that comes from outside: API request bodies and inbound webhooks.

`loads` is strict and bounded: the body must be UTF-8, numbers finite
(no NaN, no Infinity, no float that overflows), and nesting at most
`MAX_DEPTH` levels deep. Everything else is a `JSONBodyError` (a ValueError),
which the API answers with 400 (through `JSONParser`) and the webhooks with
400 as well: a body can never make the server fail with a RecursionError or
store a value the database refuses."""

import json
import math

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Real payloads (Retell, Thumbtack, the API) are a handful of levels deep.
MAX_DEPTH = 64


class JSONBodyError(ValueError):
    """A body that is not JSON this application accepts; the message says why."""


def _refuse_constant(name):
    raise JSONBodyError(f"{name} is not a JSON number.")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise JSONBodyError("A number in the body is too large.")
    return value


def depth(value):
    """How deeply `value` nests lists and objects (a scalar is 0). Iterative,
    so any depth can be measured."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(data, *, max_depth=MAX_DEPTH):
    """The decoded JSON of `data` (bytes or str); JSONBodyError when it is not
    UTF-8, not JSON, has a non-finite number or nests deeper than `max_depth`."""
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONBodyError("The body is not UTF-8 text.")
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise JSONBodyError("The JSON is nested too deeply.")
    except JSONBodyError:
        raise
    except ValueError as exc:
        # json.JSONDecodeError, and integers too long to convert.
        raise JSONBodyError(f"Invalid JSON: {exc}")
    if depth(value) > max_depth:
        raise JSONBodyError(f"The JSON is nested too deeply (more than {max_depth} levels).")
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser reading through `loads`: too-deep nesting, invalid
    UTF-8 and non-finite numbers answer 400 like any other parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            raw = stream.read()
            if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
                raw = raw.decode(encoding)
            return loads(raw)
        except (JSONBodyError, UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}")
