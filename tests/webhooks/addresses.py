"""Made-up DNS answers and the ways of writing a local address, for the
tests of the outbound address guard."""

import socket

PUBLIC_IP = "93.184.216.34"


def install_fake_dns(monkeypatch):
    """A resolver for made-up names: `dns.answers[name]` is a list of answers,
    one per lookup (the last repeats), each an address or a tuple of them.
    Other names and IP literals go to the real resolver."""
    real = socket.getaddrinfo
    answers, lookups = {}, []

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return real(host, port, *args, **kwargs)
        lookups.append(name)
        answer = answers[name][min(lookups.count(name), len(answers[name])) - 1]
        result = []
        for address in answer if isinstance(answer, tuple) else (answer,):
            if ":" in address:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return result

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    getaddrinfo.answers, getaddrinfo.lookups = answers, lookups
    return getaddrinfo


# The ways of writing an address on this machine that outside testing used or
# that resolvers accept. Each must be refused when private targets are not
# allowed: {port} is the listener's port on 127.0.0.1.
LOCAL_FORMS = [
    "http://127.0.0.1:{port}\\@example.com/k",
    "http://127.0.0.1:{port}\\@example.com:{port}/k",
    "http://[::127.0.0.1]:{port}/hook",
    "http://[::ffff:127.0.0.1]:{port}/hook",
    "http://[::ffff:7f00:1]:{port}/hook",
    "http://[64:ff9b::127.0.0.1]:{port}/hook",
    "http://[2002:7f00:1::1]:{port}/hook",
    "http://[::1]:{port}/hook",
    "http://[::]:{port}/hook",
    "http://127.0.0.1:{port}/hook",
    "http://0.0.0.0:{port}/hook",
    "http://127.1:{port}/hook",
    "http://2130706433:{port}/hook",
    "http://0x7f000001:{port}/hook",
    "http://localhost:{port}/hook",
    "http://loopback.example:{port}/hook",
    "http://mixed.example:{port}/hook",
    "http://user:secret@127.0.0.1:{port}/hook",
    "http://example.com@127.0.0.1:{port}/hook",
    "http://example.com:{port}@127.0.0.1:{port}/hook",
]


def local_dns(dns):
    dns.answers["example.com"] = [PUBLIC_IP]
    dns.answers["loopback.example"] = ["127.0.0.1"]
    dns.answers["mixed.example"] = [(PUBLIC_IP, "127.0.0.1")]
