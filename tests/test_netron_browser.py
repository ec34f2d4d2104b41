"""The models as a person sees them: served by Netron, rendered by a real headless Chromium."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loopmlp.compiler.build import build_model, save_model
from loopmlp.ir.graph import layer_name
from loopmlp.ir.machine import Machine

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)
LAYERS = [layer_name(t) for t in range(1, 24)]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(model: Path, screenshot: Path, expand: str | None = None) -> tuple[str, str]:
    """(the rendered graph's page, the model properties' text) as Chromium shows them."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import netron; netron.main()", "--port", str(port), str(model)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://localhost:{port}/"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            # Netron asks for cookie consent before it opens a model; answer it in advance.
            context.add_cookies(
                [{"name": "consent", "value": str(int(time.time() * 1000)), "url": url}]
            )
            page = context.new_page()
            page.goto(url)
            canvas = page.locator("#canvas")  # the drawn graph (the graph menu lists names too)
            drawn = canvas.get_by_text("branch_4", exact=True).first
            if expand:  # a subgraph (the Loop's body): its "+" button draws it in place
                label = canvas.get_by_text(expand, exact=True).first
                label.wait_for(timeout=60_000)
                for _ in range(5):
                    box = label.bounding_box()
                    page.mouse.click(box["x"] + box["width"] + 26, box["y"] + box["height"] / 2)
                    try:
                        drawn.wait_for(timeout=10_000)
                        break
                    except PlaywrightTimeout:
                        continue
            drawn.wait_for(timeout=60_000)
            graph = page.content()
            page.screenshot(path=str(screenshot))
            page.click("#sidebar-model-button")
            page.wait_for_selector("text=METADATA", timeout=30_000)
            properties = page.inner_html("#sidebar-content")  # the keys are in input fields
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return graph, properties


@pytest.mark.parametrize("form", ["dense", "factored", "loop"])
def test_netron_shows_the_23_named_layers_and_the_metadata(form, tmp_path):
    model = tmp_path / f"hello-{form}.onnx"
    save_model(build_model(Machine(8, 16), form, [3, 3, -1]), model)
    shot = tmp_path / f"netron-{form}.png"
    graph, properties = render(model, shot, expand="step_and_io_device" if form == "loop" else None)
    assert all(f">{name}<" in graph for name in LAYERS), "every layer is drawn, by name"
    assert graph.index(">fetch_1<") < graph.index(">subtract_1<") < graph.index(">branch_4<")
    for key in ("loopmlp.machine", "loopmlp.layout", "loopmlp.layers", "loopmlp.form"):
        assert key in properties
    assert '{"bits": 8, "words": 16, "io": true}' in properties and f">{form}<" in properties
    assert shot.read_bytes().startswith(b"\x89PNG")
