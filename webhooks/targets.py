"""Where outbound webhooks may go, and the connection that takes them there.

One rule for the address of an integration, used when it is saved (the
model field's validator) and on every send:

- The URL is parsed once, into a `Target`. User-info (`user:pass@`),
  backslashes, spaces and control characters are refused, and so is any URL
  that Python's parser and the HTTP client's parser (urllib3) read with a
  different host or port.
- The host is resolved once. Unless private targets are allowed
  (`settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS`, for development and tests),
  every address it resolves to must be public: loopback, private, shared,
  link-local, site-local, reserved, unspecified and multicast addresses are
  refused, and so are IPv6 addresses that carry an IPv4 address (mapped,
  compatible) or stand for one that is not public (6to4, NAT64).
- The request is sent to the vetted address itself, so a DNS answer that
  changes after the check (DNS rebinding) cannot move it. The Host header,
  TLS SNI and the certificate check still use the real host name.
  Redirects are not followed and environment proxies are not used.
"""

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import idna
from django.conf import settings
from django.core.exceptions import ValidationError
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError, LocationParseError, NewConnectionError
from urllib3.util import parse_url

# Trusted certificate authorities for https targets.
CA_CERTS = certifi.where()
# At most this many of a host's addresses are tried when a connection fails.
MAX_ADDRESSES_TRIED = 3
MAX_URL_LENGTH = 2000
RESPONSE_BYTES_READ = 2048

DEFAULT_PORTS = {"http": 80, "https": 443}
# IPv6 ranges that stand for an IPv4 address.
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class UnsafeTarget(Exception):
    """The URL may not receive events; the message says why, for the owner."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # lower-case ASCII name, or an IP address; no brackets, no trailing dot
    port: int
    path: str  # path and query, as sent on the request line

    @property
    def ip(self):
        try:
            return ipaddress.ip_address(self.host)
        except ValueError:
            return None

    @property
    def host_header(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _canonical_host(name):
    """The host as it is resolved and sent: an IP address in its canonical
    form, or a lower-case ASCII (IDNA) name."""
    name = name.lower()
    if name.endswith("."):
        name = name[:-1]
    if not name:
        raise UnsafeTarget("The URL has no host name.")
    if "%" in name:
        raise UnsafeTarget("The host of the URL is not valid.")
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        pass
    if not name.isascii():
        try:
            name = idna.encode(name, strict=True, std3_rules=True).decode("ascii")
        except idna.IDNAError as exc:
            raise UnsafeTarget("The host of the URL is not valid.") from exc
    labels = name.split(".")
    if len(name) > 253 or not all(
        0 < len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label) for label in labels
    ):
        raise UnsafeTarget("The host of the URL is not valid.")
    return name


def parse_target(url):
    """Parse `url` once into a Target, or raise UnsafeTarget."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise UnsafeTarget("Enter a URL of at most 2000 characters.")
    if "\\" in url:
        raise UnsafeTarget("The URL cannot contain a backslash (\\).")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise UnsafeTarget("The URL cannot contain spaces or control characters.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeTarget("Use an http or https URL.")
    if "@" in parts.netloc:
        raise UnsafeTarget("The URL cannot contain a user name or password.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as exc:
        raise UnsafeTarget("The port of the URL is not valid.") from exc
    host = _canonical_host(parts.hostname or "")
    # The HTTP client's own reading of the URL must name the same place.
    try:
        client = parse_url(url)
        client_host = _canonical_host((client.host or "").strip("[]"))
    except (LocationParseError, UnsafeTarget) as exc:
        raise UnsafeTarget("The URL cannot be read in one way only; write it plainly.") from exc
    if client.auth or client_host != host or (client.port or DEFAULT_PORTS[scheme]) != port:
        raise UnsafeTarget("The URL cannot be read in one way only; write it plainly.")
    return Target(scheme=scheme, host=host, port=port, path=client.request_uri or "/")


def _embedded_ipv4(address):
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4,
    NAT64), or None."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in IPV4_COMPATIBLE or any(address in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address):
    if address.version == 6:
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            # IPv4-mapped and -compatible forms are never published targets;
            # 6to4 and NAT64 ones are as public as the IPv4 address behind them.
            if address.ipv4_mapped is not None or address in IPV4_COMPATIBLE:
                return False
            return is_public_address(embedded)
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )


def _resolve(target):
    """The addresses of the target's host, resolved once, in resolver order."""
    if target.ip is not None:
        return [target.ip]
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeTarget(f"The host {target.host} does not resolve.") from exc
    addresses = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeTarget(f"The host {target.host} does not resolve.")
    return addresses


def vetted_addresses(target):
    """Resolve the target's host once and vet every address; the request
    must go to one of these, not to a fresh lookup."""
    addresses = _resolve(target)
    if settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS:
        return addresses
    for address in addresses:
        if not is_public_address(address):
            if target.ip is not None:
                raise UnsafeTarget(
                    f"{address} is a private or local address; "
                    "events are only sent to public addresses."
                )
            raise UnsafeTarget(
                f"{target.host} resolves to a private or local address ({address}); "
                "events are only sent to public addresses."
            )
    return addresses


def check_target(url):
    """The parsed target of `url`, or UnsafeTarget. Unless private targets
    are allowed, the host must resolve to public addresses only."""
    target = parse_target(url)
    if not settings.INTEGRATIONS_ALLOW_PRIVATE_TARGETS:
        vetted_addresses(target)
    return target


def validate_target_url(value):
    """Model field validator: the integration form shows the reason."""
    try:
        check_target(value)
    except UnsafeTarget as exc:
        raise ValidationError(str(exc), code="unsafe_target") from exc


# --- Sending -----------------------------------------------------------------------


def _tls_context():
    return ssl.create_default_context(cafile=CA_CERTS)


def _pool(target, address, timeout):
    """A connection pool to `address` that speaks to the target's host name."""
    host = f"[{address}]" if address.version == 6 else str(address)
    timeout = Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        return HTTPSConnectionPool(
            host,
            target.port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ssl_context=_tls_context(),
            # SNI and certificate verification against the real host name.
            server_hostname=target.host,
        )
    return HTTPConnectionPool(host, target.port, timeout=timeout, retries=False)


def post(target, addresses, *, body, headers, timeout):
    """POST `body` to the target at one of its vetted `addresses` (the next
    is tried only when a connection cannot be made, before anything was
    sent). Returns (HTTP status, start of the response body as text).
    Raises urllib3's HTTPError or OSError when no answer came."""
    headers = {**headers, "Host": target.host_header}
    error = None
    for address in addresses[:MAX_ADDRESSES_TRIED]:
        pool = _pool(target, address, timeout)
        try:
            try:
                response = pool.urlopen(
                    "POST",
                    target.path,
                    body=body,
                    headers=headers,
                    retries=False,
                    redirect=False,
                    assert_same_host=False,
                    preload_content=False,
                )
            except NewConnectionError as exc:
                error = exc
                continue
            try:
                data = response.read(RESPONSE_BYTES_READ)
            except (HTTPError, OSError):
                data = b""
            response.release_conn()
            return response.status, data.decode("utf-8", errors="replace")
        finally:
            pool.close()
    raise error
