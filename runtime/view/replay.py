"""`loopmlp trace --html`: a recorded run as one self-contained page that replays it.

The page is the live view's own HTML, CSS and JavaScript, inlined, with the run's frames
(the first whole, then what each step changed) in place of the server.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...ir.errors import LoopmlpError
from ...ir.files import write_atomically
from .server import static_file
from .session import ViewSession

MAX_FRAMES = 200_000  # a page that replays more would be too large to open


def record(session: ViewSession, steps: int) -> dict:
    """Frames of up to `steps` steps of the session's run from its start (the session was
    given its input whole, so the run never waits)."""
    if steps > MAX_FRAMES:
        raise LoopmlpError(f"--steps {steps}: a replay page holds at most {MAX_FRAMES:,} steps")
    session.reset()
    frames = [session.frame(full=True)]
    while session.runner.total_steps < steps and not session.stopped():
        session.advance(1)
        frames.append(session.frame())
    return {"describe": dict(session.describe(), examples=[]), "frames": frames}


def page(data: dict) -> str:
    """The view's page with its style, script and the recorded run inlined."""
    html, css, script = (_static_text(name) for name in ("index.html", "view.css", "view.js"))
    blob = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    script = script.replace("</script", "<\\/script")
    html = html.replace('<link rel="stylesheet" href="view.css">', f"<style>\n{css}</style>")
    return html.replace(
        '<script type="module" src="view.js"></script>',
        f"<script>window.LOOPMLP_REPLAY = {blob};</script>\n"
        f'<script type="module">\n{script}</script>',
    )


def write_replay(session: ViewSession, steps: int, path: str) -> int:
    """Write the replay page of `steps` steps to `path` (atomically); the steps recorded."""
    if Path(path).is_dir():
        raise LoopmlpError(f"{path}: cannot write the page: is a directory")
    data = record(session, steps)
    write_atomically(path, page(data).encode("utf-8"), "page")
    return len(data["frames"]) - 1


def _static_text(name: str) -> str:
    """A file the package ships in `static/`, as text."""
    data = static_file(name)
    if data is None:
        raise FileNotFoundError(f"loopmlp's view page is missing {name}: reinstall loopmlp")
    return data.decode()
