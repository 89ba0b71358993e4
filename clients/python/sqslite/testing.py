"""sqslite's test controls from Python: move the server's clock, inject faults, reset, read calls.

Standard library only. Talks to the control API at ``<endpoint>/_sqslite/`` (README, "Test controls").

    from sqslite.testing import Control

    sqslite = Control("http://localhost:9324")      # or Control() with $SQSLITE_ENDPOINT
    sqslite.advance(seconds=900)                    # needs `sqslite serve --controllable-clock`
    sqslite.fault(action="SendMessage", error="ThrottlingException", count=2)
    sqslite.reset()                                 # every queue, mapping, log group, rule and call
    assert [c["action"] for c in sqslite.calls(queue="orders")] == ["SendMessage"]

One-liners use a module-wide default client (``$SQSLITE_ENDPOINT``, default http://localhost:9324;
``$SQSLITE_ADMIN_TOKEN`` when the server has an admin token):

    import sqslite.testing
    sqslite.testing.advance(seconds=900)

As a pytest plugin (``pytest_plugins = ["sqslite.testing"]`` in conftest.py), the ``sqslite``
fixture gives a ``Control`` for ``--sqslite-endpoint`` (or ``$SQSLITE_ENDPOINT``) that resets the
server before the test and clears its fault rules afterwards.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterable, Optional, Sequence, Union

__all__ = [
    "Control",
    "ControlError",
    "advance",
    "freeze",
    "resume",
    "now",
    "fault",
    "fail_invocations",
    "faults",
    "clear_faults",
    "reset",
    "calls",
    "clear_calls",
    "configure",
]

DEFAULT_ENDPOINT = "http://localhost:9324"


class ControlError(Exception):
    """The control API refused a request; ``status`` is the HTTP status, the text says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class Control:
    """A client of one sqslite server's control API."""

    def __init__(self, endpoint: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0) -> None:
        self.endpoint = (endpoint or os.environ.get("SQSLITE_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
        self.token = token if token is not None else os.environ.get("SQSLITE_ADMIN_TOKEN")
        self.timeout = timeout

    # -- clock ---------------------------------------------------------------
    def clock(self) -> dict:
        """The server's clock: ``now`` (epoch ms), ``controllable``, ``frozen``, ``offsetMs``."""
        return self._call("GET", "/clock")

    def now(self) -> int:
        """The server's time in epoch milliseconds."""
        return int(self.clock()["now"])

    def advance(self, seconds: Optional[float] = None, *, to: Optional[int] = None) -> int:
        """Moves the server's time forward by ``seconds``, or to ``to`` (epoch ms); everything due
        fires (delays end, visibility timeouts expire, retention, windows…). Returns the new time."""
        if (seconds is None) == (to is None):
            raise ValueError("give seconds or to (epoch milliseconds), not both")
        body = {"seconds": seconds} if seconds is not None else {"to": int(to)}
        return int(self._call("POST", "/clock/advance", body)["now"])

    def freeze(self) -> int:
        """Stops the server's clock (it then moves only with ``advance``). Returns its time."""
        return int(self._call("POST", "/clock/freeze")["now"])

    def resume(self) -> int:
        """Lets a frozen clock run again. Returns its time."""
        return int(self._call("POST", "/clock/resume")["now"])

    # -- faults --------------------------------------------------------------
    def fault(
        self,
        action: Optional[str] = None,
        error: Optional[str] = None,
        *,
        service: str = "sqs",
        queue: Optional[str] = None,
        function: Optional[str] = None,
        probability: Optional[float] = None,
        latency_ms: Union[int, Sequence[int], None] = None,
        count: Optional[int] = None,
        message: Optional[str] = None,
        retry_after_seconds: Optional[int] = None,
    ) -> str:
        """Adds a fault rule; returns its id. ``error`` is an AWS error name (``ThrottlingException``,
        ``ServiceUnavailable``, ``RequestThrottled``…), ``latency_ms`` a number or ``(min, max)``."""
        rule: dict[str, Any] = {"service": service}
        for key, value in (
            ("action", action),
            ("error", error),
            ("queue", queue),
            ("function", function),
            ("probability", probability),
            ("count", count),
            ("message", message),
            ("retryAfterSeconds", retry_after_seconds),
        ):
            if value is not None:
                rule[key] = value
        if latency_ms is not None:
            rule["latencyMs"] = latency_ms if isinstance(latency_ms, int) else list(latency_ms)
        return self._call("POST", "/faults", rule)["rules"][0]["id"]

    def fail_invocations(self, function: str, count: int = 1, kind: str = "error") -> str:
        """Makes the next ``count`` invocations of ``function`` end as ``error`` or ``timeout``."""
        return self._call("POST", "/faults", {"service": "lambda", "function": function, "count": count, "invocations": kind})[
            "rules"
        ][0]["id"]

    def faults(self) -> list[dict]:
        """The fault rules with their ``hits``."""
        return self._call("GET", "/faults")["rules"]

    def clear_faults(self, rule_id: Optional[str] = None) -> None:
        """Removes every fault rule (or one by id)."""
        self._call("DELETE", "/faults" + (f"/{urllib.parse.quote(rule_id)}" if rule_id else ""))

    # -- reset ---------------------------------------------------------------
    def reset(self, service: Optional[str] = None, queue: Optional[str] = None) -> dict:
        """Resets everything (queues, messages, mappings, logs, faults, calls), one service, or one queue."""
        params = {k: v for k, v in (("service", service), ("queue", queue)) if v}
        return self._call("POST", "/reset" + ("?" + urllib.parse.urlencode(params) if params else ""))

    # -- calls ---------------------------------------------------------------
    def calls(
        self,
        action: Optional[str] = None,
        queue: Optional[str] = None,
        since: Optional[int] = None,
        service: Optional[str] = None,
        after: Optional[int] = None,
        limit: Optional[int] = None,
    ) -> list[dict]:
        """The recorded API calls, oldest first, filtered by every argument given."""
        params = {
            k: v
            for k, v in (
                ("action", action),
                ("queue", queue),
                ("since", since),
                ("service", service),
                ("after", after),
                ("limit", limit),
            )
            if v is not None
        }
        return self._call("GET", "/calls" + ("?" + urllib.parse.urlencode(params) if params else ""))["calls"]

    def clear_calls(self) -> None:
        """Forgets the recorded calls."""
        self._call("DELETE", "/calls")

    # -- transport -----------------------------------------------------------
    def _call(self, method: str, path: str, body: Optional[dict] = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + "/_sqslite" + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                message = json.loads(text).get("message", "")
            except ValueError:
                message = text.decode(errors="replace")
            raise ControlError(error.code, message) from None
        return json.loads(text) if text else {}


# -- module-wide default client -----------------------------------------------
_default: Optional[Control] = None


def configure(endpoint: Optional[str] = None, token: Optional[str] = None) -> Control:
    """Sets the server the module-level functions talk to; returns its client."""
    global _default
    _default = Control(endpoint, token)
    return _default


def _client() -> Control:
    return _default or configure()


def advance(seconds: Optional[float] = None, *, to: Optional[int] = None) -> int:
    return _client().advance(seconds, to=to)


def freeze() -> int:
    return _client().freeze()


def resume() -> int:
    return _client().resume()


def now() -> int:
    return _client().now()


def fault(action: Optional[str] = None, error: Optional[str] = None, **kwargs: Any) -> str:
    return _client().fault(action, error, **kwargs)


def fail_invocations(function: str, count: int = 1, kind: str = "error") -> str:
    return _client().fail_invocations(function, count, kind)


def faults() -> list[dict]:
    return _client().faults()


def clear_faults(rule_id: Optional[str] = None) -> None:
    _client().clear_faults(rule_id)


def reset(service: Optional[str] = None, queue: Optional[str] = None) -> dict:
    return _client().reset(service, queue)


def calls(**filters: Any) -> list[dict]:
    return _client().calls(**filters)


def clear_calls() -> None:
    _client().clear_calls()


# -- pytest plugin -----------------------------------------------------------------
try:
    import pytest
except ImportError:  # pragma: no cover - pytest is optional
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    def pytest_addoption(parser: Any) -> None:
        group = parser.getgroup("sqslite")
        group.addoption("--sqslite-endpoint", default=None, help="sqslite's URL for the sqslite fixture (default: $SQSLITE_ENDPOINT)")

    @pytest.fixture
    def sqslite(request: Any) -> Iterable[Control]:
        """A ``Control`` of the server under test: reset before the test, fault rules cleared after."""
        control = Control(request.config.getoption("--sqslite-endpoint", default=None))
        control.reset()
        yield control
        control.clear_faults()
