"""`loopmlp view` as a person sees it: the page in a real headless Chromium, checked step by
step against the reference interpreter."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import onnx
import pytest

from loopmlp.compiler.build import build_model, save_model
from loopmlp.compiler.program import read_program
from loopmlp.runtime.cli import main
from loopmlp.runtime.reference import Reference, bytes_reader
from loopmlp.runtime.view.server import make_server
from loopmlp.runtime.view.session import ViewSession, load
from tests.children import child

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT_MS = 120_000  # the machine may be shared: waits are generous, and a stuck page still fails
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@contextmanager
def served_session(session: ViewSession):
    """The URL of a view server on a free port, serving in a thread of the test's process."""
    server = make_server(session)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def served(program: str, given_input: bytes | None = None):
    return served_session(ViewSession(load(program), given_input))


def open_page(browser, url: str, requests: list[str] | None = None):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.set_default_timeout(TIMEOUT_MS)
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_function("document.getElementById('status').textContent.startsWith('ready')")
    return page


def shown(page) -> dict:
    return page.evaluate("""() => ({
        steps: Number(document.getElementById('steps').textContent),
        pc: Number(document.getElementById('pc').textContent),
        out_byte: Number(document.getElementById('reg-out_byte').textContent),
        memory: [...document.querySelectorAll('#mem .cell')].map(c => Number(c.dataset.v)),
        console: document.getElementById('console').textContent,
        halted: document.getElementById('flag-halted').classList.contains('on'),
    })""")


def reference_for(program: str) -> Reference:
    p = read_program(program)
    return Reference(p.machine(), p.image)


@needs_chromium
def test_fifty_steps_match_the_reference_interpreter(browser):
    program = "examples/primes.asq"
    ref = reference_for(program)
    with served(program) as url:
        page = open_page(browser, url)
        assert shown(page)["memory"] == ref.result().memory
        for i in range(1, 51):
            page.click("#step")
            page.wait_for_function(
                f"document.getElementById('steps').textContent === '{i}' && "
                "!document.getElementById('step').disabled"
            )
            out_before = len(ref.output)
            expected = ref.run(1)
            seen = shown(page)
            assert seen["pc"] == expected.pc, f"step {i}"
            assert seen["memory"] == expected.memory, f"step {i}"
            assert seen["console"].encode() == expected.output, f"step {i}"
            if len(ref.output) > out_before:
                assert seen["out_byte"] == ref.output[-1]
        # the sieve rewrites its own instructions: the cells changed by the last step are marked
        assert page.locator("#mem .cell.ins").count() == 3
        page.close()


@needs_chromium
def test_hello_runs_to_the_end_and_the_console_shows_its_output(browser):
    expected = reference_for("examples/hello.asq").run(10_000)
    with served("examples/hello.asq") as url:
        page = open_page(browser, url)
        page.select_option("#speed", "0")
        page.click("#run")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('halt')")
        seen = shown(page)
        assert seen["console"].encode() == expected.output and expected.output
        assert seen["steps"] == expected.steps and seen["halted"]
        page.click("#reset")
        page.wait_for_function("document.getElementById('status').textContent === 'reset'")
        seen = shown(page)
        assert (seen["steps"], seen["pc"], seen["console"]) == (0, 0, "")
        assert seen["memory"] == reference_for("examples/hello.asq").result().memory
        page.close()


@needs_chromium
def test_typed_input_reaches_an_echo_program(browser):
    with served("examples/echo.asq") as url:
        page = open_page(browser, url)
        page.select_option("#speed", "0")
        page.click("#run")
        page.wait_for_function(
            "document.getElementById('status').textContent.startsWith('waiting for input')"
        )
        page.fill("#input-text", "héllo")
        page.press("#input-text", "Enter")
        page.wait_for_function("document.getElementById('console').textContent === 'héllo\\n'")
        page.click("#input-eof")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('halt')")
        assert shown(page)["console"] == "héllo\n"
        page.close()


@needs_chromium
def test_a_source_line_breakpoint_stops_the_run_there(browser):
    program = "examples/primes.asq"
    prime_line = next(
        i
        for i, text in enumerate((ROOT / program).read_text().splitlines(), 1)
        if text.startswith("prime:")
    )
    with served(program) as url:
        page = open_page(browser, url)
        page.select_option("#speed", "0")
        page.click(f"#source .line[data-line='{prime_line}']")
        page.click("#run")
        page.wait_for_function(
            "document.getElementById('status').textContent.startsWith('stopped at a breakpoint')"
        )
        seen = shown(page)
        ref = reference_for(program)
        expected = ref.run(seen["steps"])
        assert seen["pc"] == expected.pc and seen["memory"] == expected.memory
        assert read_program(program).location(seen["pc"]).line == prime_line
        assert page.locator("#source .line.current").get_attribute("data-line") == str(prime_line)
        # a memory cell breakpoint: the run stops when the cell changes (or pc arrives at it)
        page.click(f"#source .line[data-line='{prime_line}']")
        cell, stop = _a_cell_changed_later(ref, at_least=5)
        page.click(f"#mem .cell[data-a='{cell}']")
        page.click("#run")
        page.wait_for_function(
            "document.getElementById('status').textContent.startsWith('stopped at a breakpoint')"
        )
        seen = shown(page)
        assert (seen["steps"], seen["pc"], seen["memory"]) == (stop.steps, stop.pc, stop.memory)
        page.close()


def _a_cell_changed_later(ref: Reference, at_least: int):
    """A cell that the reference first changes (or whose address pc first reaches) at least
    `at_least` steps from now, and the result at that step; `ref` is left at its start."""
    probe = Reference(ref.machine, [])
    probe.mem, probe.pc, probe.steps = list(ref.mem), ref.pc, ref.steps
    start, history = probe.result().memory, []
    while len(history) < 400:
        history.append(probe.run(1))
    touched: set[int] = set()
    for k, result in enumerate(history):
        before = start if k == 0 else history[k - 1].memory
        changed = {
            a for a, (x, y) in enumerate(zip(before, result.memory, strict=True)) if x != y
        } | {result.pc}
        fresh = changed - touched
        if k + 1 >= at_least and fresh:
            return min(fresh), result
        touched |= changed
    raise AssertionError("no cell changes in 400 steps")


@needs_chromium
def test_the_page_needs_no_network_but_its_own_server(browser):
    requests: list[str] = []
    with served("examples/hello.asq") as url:
        page, base = open_page(browser, url, requests), url
        page.click("#step")
        page.wait_for_function("document.getElementById('steps').textContent === '1'")
        page.close()
    assert requests and all(r.startswith(base) for r in requests), requests


def test_bad_input_is_one_line_and_exit_2_and_no_server(capsys, tmp_path):
    bad = tmp_path / "bad.asq"
    bad.write_text("a b c\n")
    assert main(["view", str(bad), "--no-browser"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "bad.asq" in err


def test_a_port_in_use_is_a_clear_message(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["view", "examples/hello.asq", "--no-browser", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"port {port}" in err and "in use" in err and err.count("\n") == 1


@needs_chromium
def test_an_example_opens_from_the_page_and_runs(browser):
    expected = reference_for("examples/hello.c").run(100_000)
    with served("examples/echo.asq") as url:
        page = open_page(browser, url)
        page.select_option("#examples", "hello.c")
        page.wait_for_function(
            "document.getElementById('name').textContent.endsWith('hello.c') && "
            "document.getElementById('status').textContent.startsWith('ready')"
        )
        assert page.locator("#source .line").count() == len(
            (ROOT / "examples/hello.c").read_text().splitlines()
        )
        page.select_option("#speed", "0")
        page.click("#run")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('halt')")
        assert shown(page)["console"].encode() == expected.output
        with page.expect_download() as download:
            page.click("#download")
        assert download.value.suggested_filename == "hello.onnx"
        page.close()


@needs_chromium
def test_trace_html_replays_the_run_without_a_server(browser, tmp_path, capsys):
    out = tmp_path / "run.html"
    assert main(["trace", "examples/echo.asq", "--input", "abc", "--html", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    text = out.read_text()
    assert (
        '<script type="module">' in text and 'src="' not in text and 'href="view.css"' not in text
    )
    ref = reference_for("examples/echo.asq")
    requests: list[str] = []
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_function("document.getElementById('status').textContent.startsWith('ready')")
    reader = bytes_reader(b"abc")
    for i in range(1, 8):
        page.click("#step")
        page.wait_for_function(f"document.getElementById('steps').textContent === '{i}'")
        expected = ref.run(1, reader)
        seen = shown(page)
        assert (seen["pc"], seen["memory"]) == (expected.pc, expected.memory), f"step {i}"
    page.select_option("#speed", "0")
    page.click("#run")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('halt')")
    assert shown(page)["console"] == "abc"
    assert all(r.startswith(("file:", "data:")) for r in requests), requests
    page.close()


def test_a_large_machine_sends_only_what_changed():
    session = ViewSession(load("examples/hello.asq", words=32768))
    ref = Reference(session.machine, read_program("examples/hello.asq").image)
    first = session.frame(full=True)
    assert first["cells"] == [[0, ref.result().memory]]
    for _ in range(3):
        session.advance(1)
        expected = ref.run(1)
        frame = session.frame()
        assert len(json.dumps(frame)) < 2000, (
            "a step's frame holds the changed cells, not all 32768"
        )
        changed = {a: v[0] for a, v in frame["cells"]}
        assert frame["pc"] == expected.pc
        assert all(expected.memory[a] == v for a, v in changed.items())
        assert session.memory().tolist() == expected.memory


def test_the_command_serves_on_localhost_and_stops_on_ctrl_c(tmp_path):
    with child(
        [sys.executable, "-m", "loopmlp.runtime.cli", "view", "examples/hello.asq", "--no-browser"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url, timeout=30) as page:
            assert b"loopmlp view" in page.read()
        with urllib.request.urlopen(url + "model.onnx", timeout=30) as model:
            assert onnx.load_model_from_string(model.read()).graph.node
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and out == ""
    assert "Traceback" not in err and err.strip().endswith("loopmlp: view stopped")


@pytest.mark.parametrize("form", ["factored", "loop"])
def test_a_compiled_model_is_viewed_with_its_embedded_program(form, tmp_path):
    program = read_program("examples/echo.asq")
    model = tmp_path / f"echo-{form}.onnx"
    save_model(build_model(program.machine(), form, program.image, program.source_map), model)
    session = ViewSession(load(str(model)), b"hey")
    ref = Reference(session.machine, program.image)
    reader = bytes_reader(b"hey")
    while not session.stopped():
        session.advance(1)
        expected = ref.run(1, reader)
        assert (session.pc(), session.memory().tolist()) == (expected.pc, expected.memory)
    assert bytes(session.runner.output) == expected.output == b"hey"
    assert session.describe()["source_map"][0][0] == "examples/echo.asq"
    assert session.loaded.model.SerializeToString() == model.read_bytes()


@needs_chromium
def test_a_large_machine_is_drawn_from_what_changed(browser):
    program = read_program("examples/hello.asq")
    session = ViewSession(load("examples/hello.asq", words=32768))
    ref = Reference(session.machine, program.image)
    sizes: list[int] = []
    with served_session(session) as url:
        page = open_page(browser, url)
        page.on("response", lambda r: sizes.append(len(r.body())) if "advance" in r.url else None)
        for i in range(1, 4):
            page.click("#step")
            page.wait_for_function(
                f"document.getElementById('steps').textContent === '{i}' && "
                "!document.getElementById('step').disabled"
            )
            expected = ref.run(1)
            assert page.evaluate("window.loopmlpView.memory") == expected.memory
            assert int(page.inner_text("#pc")) == expected.pc
        page.close()
    assert len(sizes) == 3 and max(sizes) < 2000, sizes
