"""Start the server: bind the port, run uvicorn until interrupted."""

from __future__ import annotations

import ipaddress

from llmkg.publish.serve.engine import Limits

__all__ = ["Limits", "allowed_hosts", "is_loopback", "serve"]

STOP_SECONDS = 1.0  # requests in flight get this long to finish after Ctrl-C or SIGTERM


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost': only this machine can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, extra: list[str] = (), base_url: str | None = None) -> set[str] | None:
    """The Host names answered: the bound address's own names (for loopback:
    localhost, 127.0.0.1, ::1), --allow-host's, --base-url's; None (any) for a
    wildcard address without --allow-host."""
    from urllib.parse import urlsplit

    names = {n.lower() for n in extra}
    if base_url:
        names.add((urlsplit(base_url).hostname or "").lower())
    host = host.strip("[]").lower()
    if host in ("0.0.0.0", "::", ""):
        return names or None
    names.add(host)
    if is_loopback(host):
        names |= {"localhost", "127.0.0.1", "::1"}
    return names


def serve(*, store=None, host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None,
          ready=None, cors: bool = True, allow_hosts: list[str] = (), base_url: str | None = None) -> None:
    """Serve the store until interrupted. `ready(url)` is called once the port is open."""
    import asyncio

    import uvicorn

    from llmkg.publish.serve.app import create_app

    sock = _listen(host, port)  # bound here, so a taken port is one error line, not a log
    app = create_app(store, limits=limits, cors=cors, hosts=allowed_hosts(host, allow_hosts, base_url),
                     base_url=base_url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", server_header=False,
                            timeout_graceful_shutdown=STOP_SECONDS)
    server = uvicorn.Server(config)

    async def stop_queries() -> None:
        """On Ctrl-C or SIGTERM, stop the queries at once: their requests are
        answered 503 and the server closes well within STOP_SECONDS."""
        while not server.should_exit:
            await asyncio.sleep(0.05)
        app.state.engine.close()

    async def main() -> None:
        asyncio.create_task(stop_queries())
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.05)
        if server.started and ready:
            shown = f"[{host}]" if ":" in host else host
            ready(f"http://{shown}:{sock.getsockname()[1]}/")
        await task

    try:
        asyncio.run(main())
    except KeyboardInterrupt:  # Ctrl-C: uvicorn has stopped the server, the engine its workers
        pass
    finally:
        sock.close()


def _listen(host: str, port: int):
    import socket

    from llmkg.errors import LlmkgError

    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
        sock.set_inheritable(True)
        return sock
    except OSError as exc:
        raise LlmkgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="pass another --port, or stop what is using it") from None
