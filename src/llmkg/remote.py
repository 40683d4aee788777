"""HTTP to SPARQL and Graph Store endpoints, safe against the server at the other end.

What one command may spend is a `Budget`: a deadline for all its requests
together (a server that trickles a byte at a time cannot hold it), a cap on
what it reads from any one response (a server that claims or sends gigabytes
cannot fill memory), and the secrets to keep out of every message. Redirects
are followed only on the same host (or its https): a redirect elsewhere is
refused, so neither credentials nor request bodies go to a host the user did
not name. Whatever a server says is printed only after credentials are
redacted and control characters escaped.
"""

from __future__ import annotations

import base64
import os
import re
import time
from typing import TYPE_CHECKING, Any, Iterator, Literal as TypingLiteral

from llmkg.errors import EndpointError, clip, printable, redact_userinfo

if TYPE_CHECKING:  # pragma: no cover
    import httpx

AuthScheme = TypingLiteral["basic", "digest", "auto"]

#: Seconds to wait for a connection and for each read (never past the deadline).
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 300.0
MAX_REDIRECTS = 5
#: The most read from one response; $LLMKG_MAX_RESPONSE_MIB changes it.
MAX_RESPONSE_MIB = 512
RESPONSE_ENV = "LLMKG_MAX_RESPONSE_MIB"
ERROR_BODY_BYTES = 64 * 1024  # of an error page, for its message

USER_AGENT = "llmkg (SPARQL 1.1 Protocol / Graph Store HTTP Protocol client)"

_MIB = 1 << 20
# an Authorization header a server echoes back, and credentials in any text
_ECHOED_AUTH = re.compile(r"(?im)((?:proxy-)?authorization|cookie)(\s*[:=]\s*)[^\n]*")
_SCHEME_TOKEN = re.compile(r"(?i)\b(basic|bearer|digest)\s+[^\s,;]{6,}")


class Budget:
    """What one command may spend on servers: `seconds` for all its requests (None: no
    deadline), `max_bytes` per response, and `secrets` never to print."""

    def __init__(self, seconds: float | None = None, *, secrets: tuple[str, ...] = (),
                 max_bytes: int | None = None) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds if seconds else None
        self.max_bytes = max_bytes or int(os.environ.get(RESPONSE_ENV) or MAX_RESPONSE_MIB) * _MIB
        self.secrets = tuple(s for s in secrets if s)

    def remaining(self, url: str, what: str) -> float:
        """Seconds left; EndpointError when none are."""
        if self.deadline is None:
            return READ_TIMEOUT
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise EndpointError(self.clean(f"{url} did not finish within {self.seconds:g} s "
                                           f"while trying to {what}"),
                                hint="retry with a larger --timeout, or check the server")
        return left

    def timeout(self, url: str, what: str) -> dict[str, float]:
        left = self.remaining(url, what)
        read = min(READ_TIMEOUT, left)
        return {"connect": min(CONNECT_TIMEOUT, left), "read": read, "write": read, "pool": read}

    def hiding(self, secrets: tuple[str, ...]) -> "Budget":
        """The same budget (the same deadline), keeping `secrets` out of messages too."""
        import copy

        more = copy.copy(self)
        more.secrets = self.secrets + tuple(s for s in secrets if s)
        return more

    def clean(self, text: str) -> str:
        """`text` with credentials redacted and control characters escaped."""
        text = _ECHOED_AUTH.sub(r"\1\2***", redact_userinfo(text))
        text = _SCHEME_TOKEN.sub(r"\1 ***", text)
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return printable(text)


def secrets_of(user: str | None, password: str | None, url: str = "") -> tuple[str, ...]:
    """The strings that would give credentials away: passwords and their Basic tokens."""
    import httpx

    pairs = [(user, password)]
    parsed = httpx.URL(url) if url else None
    if parsed is not None and parsed.password:
        pairs.append((parsed.username, parsed.password))
    out: list[str] = []
    for name, secret in pairs:
        if name and secret:
            out += [secret, base64.b64encode(f"{name}:{secret}".encode()).decode()]
    return tuple(out)


# --------------------------------------------------------------------------
# clients and authentication


def make_auth(user: str | None, password: str | None,
              scheme: AuthScheme = "auto") -> "httpx.Auth | None":
    """An httpx auth for `user`/`password`, or None without a user.

    "auto" sends the request without credentials first and answers the
    server's challenge with the scheme it names (Basic or Digest), then keeps
    using that scheme for the rest of the session.
    """
    import httpx

    if user is None:
        return None
    if password is None:
        password = ""
    if scheme == "basic":
        return httpx.BasicAuth(user, password)
    if scheme == "digest":
        return httpx.DigestAuth(user, password)
    if scheme == "auto":
        return _auto_auth(user, password)
    raise EndpointError(f"unknown authentication scheme {scheme!r}",
                        hint="Use basic, digest or auto")


def _auto_auth(user: str, password: str) -> "httpx.Auth":
    import httpx

    class AutoAuth(httpx.Auth):
        """Answer whichever challenge (Basic or Digest) the server sends."""

        requires_request_body = True

        def __init__(self) -> None:
            self.chosen: httpx.Auth | None = None

        def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
            if self.chosen is not None:
                yield from self.chosen.auth_flow(request)
                return
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "")
            scheme = challenge.split(" ", 1)[0].lower()
            if scheme == "digest":
                self.chosen = httpx.DigestAuth(user, password)
            elif scheme == "basic":
                self.chosen = httpx.BasicAuth(user, password)
            else:
                return
            yield from self.chosen.auth_flow(request)

    return AutoAuth()


def client(*, user: str | None = None, password: str | None = None,
           auth: AuthScheme = "auto") -> "httpx.Client":
    """An httpx client with llmkg's user agent and credentials; `send` follows redirects."""
    import httpx

    return httpx.Client(
        auth=make_auth(user, password, auth),
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        trust_env=False,
    )


# --------------------------------------------------------------------------
# one request


def send(http: "httpx.Client", method: str, url: str, *, what: str,
         ok: tuple[int, ...] = (200, 201, 204), budget: Budget | None = None,
         **kwargs: Any) -> "httpx.Response":
    """Send one request and read its response whole, within `budget`; translate refused
    connections, time-outs, redirects elsewhere, oversized responses and unexpected
    statuses into one-line EndpointErrors naming `what` was attempted."""
    import httpx

    budget = (budget or Budget()).hiding(secrets_of(None, None, url))
    request = http.build_request(method, url, **kwargs)
    for _ in range(MAX_REDIRECTS + 1):
        request.extensions["timeout"] = budget.timeout(url, what)
        try:
            response = http.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            budget.remaining(url, what)  # past the deadline: says so
            raise EndpointError(budget.clean(f"{url} did not answer in time while trying to {what}"),
                                hint="Retry, or load smaller chunks") from None
        except httpx.ConnectError as exc:
            raise EndpointError(budget.clean(f"cannot connect to {url} while trying to {what}: {exc}"),
                                hint="Check that the server runs and the URL is right") from None
        except httpx.HTTPError as exc:
            raise EndpointError(budget.clean(f"HTTP error talking to {url} while trying to {what}: {exc}")) from None
        try:
            follow = response.next_request
            if follow is None:
                return _read_whole(response, url, what, ok, budget)
        finally:
            response.close()
        if not _same_host(request.url, follow.url):
            raise EndpointError(budget.clean(f"{url} redirected to another host ({follow.url.host}) "
                                             f"while trying to {what}"),
                                hint="llmkg sends no credentials or data to a host you did not name: "
                                     "use the address it redirects to as --endpoint")
        request = follow
    raise EndpointError(budget.clean(f"{url} redirected more than {MAX_REDIRECTS} times while trying to {what}"))


def _same_host(origin: "httpx.URL", target: "httpx.URL") -> bool:
    """The same host and port, or the same host upgraded from http to https."""
    if origin.host != target.host:
        return False
    if origin.scheme == target.scheme:
        return origin.port == target.port
    return origin.scheme == "http" and target.scheme == "https" and target.port in (None, 443)


def _read_whole(response: "httpx.Response", url: str, what: str, ok: tuple[int, ...],
                budget: Budget) -> "httpx.Response":
    """The response with its body read, at most budget.max_bytes of it (an error page:
    its first ERROR_BODY_BYTES), checking the deadline between reads."""
    import httpx

    good = response.status_code in ok
    limit = budget.max_bytes if good else ERROR_BODY_BYTES
    length = response.headers.get("content-length", "")
    if good and length.isdigit() and int(length) > limit:
        raise _too_large(url, what, budget)
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                if good:
                    raise _too_large(url, what, budget)
                break
            budget.remaining(url, what)
    except httpx.TimeoutException:
        budget.remaining(url, what)
        raise EndpointError(budget.clean(f"{url} stopped sending while trying to {what}")) from None
    except httpx.HTTPError as exc:
        raise EndpointError(budget.clean(f"HTTP error reading from {url} while trying to {what}: {exc}")) from None
    headers = [(k, v) for k, v in response.headers.multi_items()
               if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
    whole = httpx.Response(response.status_code, headers=headers, content=bytes(body), request=response.request)
    if not good:
        raise EndpointError(_status_message(whole, what, budget), hint=_status_hint(whole))
    return whole


def _too_large(url: str, what: str, budget: Budget) -> EndpointError:
    return EndpointError(budget.clean(f"{url} sent a response larger than {budget.max_bytes / _MIB:g} MiB "
                                      f"while trying to {what}"),
                         hint=f"raise ${RESPONSE_ENV} if it should be this large")


def _status_message(response: "httpx.Response", what: str, budget: Budget) -> str:
    body = clip(" ".join(budget.clean(response.text).split()), 300)
    text = budget.clean(f"{response.request.method} {response.request.url} failed with HTTP "
                        f"{response.status_code} while trying to {what}")
    return f"{text}: {body}" if body else text


def _status_hint(response: "httpx.Response") -> str | None:
    if response.status_code == 401:
        return ("The server refused the credentials: pass --user and set the "
                "password (LLMKG_PASSWORD) or check them")
    if response.status_code == 403:
        return "The user lacks the right to write (e.g. Virtuoso's SPARQL_UPDATE role)"
    if response.status_code == 404:
        return "Check the endpoint URL"
    if response.status_code == 413:
        return "The server refused a chunk as too large: load smaller chunks"
    return None
