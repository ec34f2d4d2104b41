"""The view's web server: the standard library's threaded HTTP server, bound to 127.0.0.1,
serving the page's static files from this package and a few JSON endpoints.

The page asks for the next frame (`POST /api/advance`) and draws it; nothing runs in the page.
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from ...ir.errors import LoopmlpError
from .session import ViewSession, load

STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
MAX_BODY = 1 << 20
MAX_STEPS_PER_REQUEST = 1 << 20


def static_file(name: str) -> bytes | None:
    """A file of the page, from this package's `static/` folder (None if there is none)."""
    if "/" in name or name.startswith(".") or Path(name).suffix not in STATIC_TYPES:
        return None
    item = resources.files(__package__).joinpath("static").joinpath(name)  # one name a call: 3.10
    return item.read_bytes() if item.is_file() else None


def examples_folder() -> Path | None:
    """The `examples/` folder beside the package's sources (or in the working directory)."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (base / "examples").is_dir():
            return base / "examples"
    return None


class ViewState:
    """The server's one session, and a lock: requests from the page are served one at a time."""

    def __init__(self, session: ViewSession) -> None:
        self.session, self.lock = session, threading.Lock()

    def open_example(self, name: str) -> None:
        folder = examples_folder()
        if folder is None or "/" in name or name not in list_examples():
            raise LoopmlpError(f"{name}: no such example")
        path = folder / name
        loaded = load(
            str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
        )
        self.session = ViewSession(loaded, None)


def list_examples() -> list[str]:
    folder = examples_folder()
    if folder is None:
        return []
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".asq", ".c", ".sq", ".s"))


class Handler(BaseHTTPRequestHandler):
    server_version = "loopmlp-view"
    state: ViewState  # set on the subclass made for one server

    def log_message(self, format, *args) -> None:
        pass  # a page polling for frames would fill the terminal

    def _send(
        self, body: bytes, kind: str, status: int = HTTPStatus.OK, extra: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data, status: int = HTTPStatus.OK) -> None:
        self._send(json.dumps(data, separators=(",", ":")).encode(), "application/json", status)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        state = self.state
        if path == "/":
            path = "/index.html"
        if path == "/api/describe":
            with state.lock:
                self._json(dict(state.session.describe(), examples=list_examples()))
        elif path == "/api/frame":
            with state.lock:
                self._json(state.session.frame(full=True))
        elif path == "/api/layers":
            with state.lock:
                self._json(state.session.layers())
        elif path == "/model.onnx":
            with state.lock:
                body = state.session.loaded.model.SerializeToString()
                name = Path(state.session.loaded.name).with_suffix(".onnx").name
            self._send(
                body,
                "application/octet-stream",
                extra={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        else:
            body = static_file(path.lstrip("/"))
            if body is None:
                self._json({"error": f"{path}: not found"}, HTTPStatus.NOT_FOUND)
            else:
                self._send(body, STATIC_TYPES[Path(path).suffix])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json({"error": "request too large"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError as err:
            self._json({"error": f"bad request: {err}"}, HTTPStatus.BAD_REQUEST)
            return
        if not isinstance(body, dict):
            self._json({"error": "bad request: not a JSON object"}, HTTPStatus.BAD_REQUEST)
            return
        state = self.state
        try:
            with state.lock:
                self._json(self._post(self.path, body, state))
        except LoopmlpError as err:
            self._json({"error": str(err)}, HTTPStatus.BAD_REQUEST)
        except (TypeError, ValueError) as err:
            self._json({"error": f"bad request: {err}"}, HTTPStatus.BAD_REQUEST)

    def _post(self, path: str, body: dict, state: ViewState) -> dict:
        session = state.session
        if path == "/api/advance":
            steps = min(int(body.get("steps", 1)), MAX_STEPS_PER_REQUEST)
            seconds = max(0.01, min(float(body.get("seconds", 0.2)), 5.0))
            why = session.advance(
                steps,
                seconds,
                {int(a) for a in body.get("break_pcs", ())},
                {int(a) for a in body.get("break_cells", ())},
            )
            return dict(session.frame(), why=why)
        if path == "/api/reset":
            session.reset()
            return session.frame(full=True)
        if path == "/api/input":
            session.type_input(
                str(body.get("text", "")).encode("utf-8"), bool(body.get("eof", False))
            )
            return session.frame()
        if path == "/api/open":
            state.open_example(str(body.get("name", "")))
            return {"ok": True}
        raise LoopmlpError(f"{path}: no such action")


def make_server(session: ViewSession, port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (port 0: a free one) for this session; not yet serving."""
    handler = type("ViewHandler", (Handler,), {"state": ViewState(session)})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        reason = (
            "is in use" if err.errno in (98, 48, 10048) else f"cannot be opened ({err.strerror})"
        )
        raise LoopmlpError(
            f"port {port} on 127.0.0.1 {reason}: choose another with --port, "
            "or omit --port for a free one"
        ) from None
    server.daemon_threads = True
    return server
