"""Locust scenarios for ``manage.py loadtest`` (docs/performance.md). Not run by hand.

The command writes a plan (JSON, path in ``LOADTEST_PLAN``): the server's address, the
synthetic accounts of ``seed_scale`` per role with the pages each walks, the password and
the TOTP secret of the synthetic staff. Two phases (``LOADTEST_PHASE``):

* ``load``: people sign in (staff with a TOTP code, as the service requires) and walk
  their role's main pages with 1-3 s of think time between pages, and now and then the
  trivial ``/ping``. This is the "20 concurrent users" of the targets.
* ``capacity``: a few users with no think time, each signed in as every role, all on the
  same page at once for a fixed slice of time, page after page (``/ping`` first): the
  requests per second each page sustains when the server is kept busy.

Server time is read from the ``Server-Timing`` header (``thriving.timing``); results go
to ``LOADTEST_OUT`` as JSON. The server sits behind no TLS here, as behind a
TLS-terminating proxy: requests say ``X-Forwarded-Proto: https`` (the production setting
``SECURE_PROXY_SSL_HEADER``) and the client's cookie jar is told to send the ``Secure``
cookies over the loopback connection; nothing in the server's settings is relaxed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import defaultdict
from typing import Any

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115
PHASE = os.environ.get("LOADTEST_PHASE", "load")
TRIVIAL = "trivial view (/ping)"
SIGN_IN = "sign-in (not a page)"
TIMING = re.compile(r"dur=([0-9.]+)")

_server_ms: dict[str, list[float]] = defaultdict(list)
_client_ms: dict[str, list[float]] = defaultdict(list)
_errors: dict[str, int] = defaultdict(int)
_window: dict[str, list[float]] = {}  # page -> [first start, last end] (capacity phase)
_started = time.time()
_addresses = itertools.count(1)


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), what an authenticator app shows."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(at if at is not None else time.time()) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, response: Any, **_kw: Any) -> None:
    _client_ms[name].append(response_time)
    if exception is not None:
        _errors[name] += 1
    header = response.headers.get("Server-Timing") if response is not None else None
    match = TIMING.search(header or "")
    if match:
        _server_ms[name].append(float(match.group(1)))
    now = time.time()
    window = _window.setdefault(name, [now - response_time / 1000, now])
    window[1] = now


@events.test_start.add_listener
def _start(**_kw: Any) -> None:
    global _started
    _started = time.time()


@events.quitting.add_listener
def _write(**_kw: Any) -> None:
    result = {
        "phase": PHASE,
        "seconds": time.time() - _started,
        "pages": {
            name: {
                "requests": len(_client_ms[name]),
                "errors": _errors[name],
                "server_ms": _server_ms[name],
                "client_ms": _client_ms[name],
                "window": _window.get(name),
            }
            for name in _client_ms
        },
    }
    with open(os.environ["LOADTEST_OUT"], "w") as out:
        json.dump(result, out)


class Visitor:
    """Signs one session in as one synthetic account and fetches pages with it."""

    def __init__(self, client: FastHttpSession, host: str) -> None:
        self.client = client
        self.host = host
        # Each virtual person comes from their own address (behind one proxy), as real
        # people do: sign-in limits are per address and per (email, address).
        n = next(_addresses)
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.{n // 250}.0.{n % 250 + 1}",
        }

    def _unsecure_cookies(self) -> None:
        for cookie in self.client.cookiejar:
            cookie.secure = False  # the jar would keep Secure cookies off http://

    def _csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value or ""
        return ""

    def _post(self, path: str, data: dict[str, str]) -> Any:
        headers = {**self.headers, "Referer": f"https://{self.host}{path}"}
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        with self.client.post(
            path,
            data=data,
            headers=headers,
            name=SIGN_IN,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{path} answered {response.status_code}")
            elif "/login/" in response.headers.get("Location", ""):
                response.failure(f"{path} sent back to sign in")
            self._unsecure_cookies()
            return response

    def sign_in(self, email: str, *, staff: bool) -> None:
        self.get("/accounts/login/", SIGN_IN)
        response = self._post("/accounts/login/", {"login": email, "password": PLAN["password"]})
        if staff:
            if "/2fa/authenticate/" not in response.headers.get("Location", ""):
                raise StopUser
            self.get("/accounts/2fa/authenticate/", SIGN_IN)
            # A code read in the last moment of its 30 s may reach the server in the next:
            # like a person, wait for a fresh one (allauth allows no drift by default).
            left = 30 - time.time() % 30
            if left < 3:
                gevent.sleep(left + 0.2)
            response = self._post(
                "/accounts/2fa/authenticate/", {"code": totp(PLAN["totp_secret"])}
            )
            if response.status_code != 302:
                raise StopUser

    def get(self, path: str, name: str) -> None:
        with self.client.get(
            path, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"{path} answered {response.status_code} {where}".strip())
            self._unsecure_cookies()


def _host() -> str:
    return PLAN["host"].removeprefix("http://")


class _Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)  # reading a page before the next click
    _taken = itertools.count()

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        self.account = accounts[next(self._taken) % len(accounts)]
        self.visitor = Visitor(self.client, _host())
        self.visitor.sign_in(self.account["email"], staff=self.role in ("practitioner", "admin"))
        self.pages = list(self.account["pages"])

    def walk(self) -> None:
        name, path = random.choice(self.pages)  # noqa: S311 - a simulated person's click
        self.visitor.get(path, name)
        if random.random() < 0.25:  # noqa: S311
            self.visitor.get("/ping", TRIVIAL)


if PHASE == "load":

    class Seeker(_Person):
        weight = 8
        role = "seeker"
        _taken = itertools.count()

        @task
        def page(self) -> None:
            self.walk()

    class Employer(_Person):
        weight = 5
        role = "employer"
        _taken = itertools.count()

        @task
        def page(self) -> None:
            self.walk()

    class Practitioner(_Person):
        weight = 5
        role = "practitioner"
        _taken = itertools.count()

        @task
        def page(self) -> None:
            self.walk()

    class Admin(_Person):
        weight = 2
        role = "admin"
        _taken = itertools.count()

        @task
        def page(self) -> None:
            self.walk()

else:
    _ready: list[float] = []
    _capacity_users = int(os.environ.get("LOADTEST_CAPACITY_USERS", "4"))
    _slice = float(os.environ.get("LOADTEST_SLICE", "4"))
    _count = itertools.count()

    class Capacity(FastHttpUser):
        """Every page in turn, no think time, all users together (see the module doc)."""

        wait_time = constant(0)

        def on_start(self) -> None:
            n = next(_count)
            self.sessions: dict[str, Visitor] = {}
            self.paths: dict[str, str] = {TRIVIAL: "/ping"}
            try:
                for role in ("seeker", "employer", "practitioner", "admin"):
                    accounts = PLAN["accounts"][role]
                    # The second half of each role's accounts: phase 1 signs in from the
                    # first, and a staff TOTP code is accepted once (10 admins: 5 + n).
                    account = accounts[(len(accounts) // 2 + n) % len(accounts)]
                    session = FastHttpSession(
                        base_url=self.host,
                        request_event=self.environment.events.request,
                        user=self,
                    )
                    visitor = Visitor(session, _host())
                    visitor.sign_in(account["email"], staff=role in ("practitioner", "admin"))
                    self.sessions[role] = visitor
                    self.paths.update(dict(account["pages"]))  # page names start with role
            finally:
                _ready.append(time.time())  # a failed sign-in must not hold the others
            self.slices = [("seeker", TRIVIAL)] + [tuple(page) for page in PLAN["capacity_pages"]]
            while len(_ready) < _capacity_users:
                gevent.sleep(0.1)

        @task
        def hammer(self) -> None:
            start = max(_ready) + 1.0
            index = int((time.time() - start) // _slice)
            if index < 0:
                gevent.sleep(start - time.time())
                return
            if index >= len(self.slices):
                self.environment.runner.quit()
                raise StopUser
            role, name = self.slices[index]
            if role in self.sessions and name in self.paths:
                self.sessions[role].get(self.paths[name], name)
            else:
                gevent.sleep(0.1)  # this client could not sign in as that role
