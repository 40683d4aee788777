"""Start the server: bind the port, run uvicorn until interrupted."""

from __future__ import annotations

import ipaddress

from llmkg.publish.serve.engine import Limits

__all__ = ["Limits", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost': only this machine can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(*, store=None, host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None,
          ready=None) -> None:
    """Serve the store until interrupted. `ready(url)` is called once the port is open."""
    import asyncio

    import uvicorn

    from llmkg.publish.serve.app import create_app

    app = create_app(store, limits=limits)
    sock = _listen(host, port)  # bound here, so a taken port is one error line, not a log
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", server_header=False)
    server = uvicorn.Server(config)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.05)
        if server.started and ready:
            shown = f"[{host}]" if ":" in host else host
            ready(f"http://{shown}:{sock.getsockname()[1]}/")
        await task

    try:
        asyncio.run(main())
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
