"""`loopmlp view` as a person sees it: the page in a real headless Chromium, checked step by
step against the reference interpreter."""

from __future__ import annotations

import shutil
import socket
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from loopmlp.compiler.program import read_program
from loopmlp.runtime.cli import main
from loopmlp.runtime.reference import Reference
from loopmlp.runtime.view.server import make_server
from loopmlp.runtime.view.session import ViewSession, load

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@contextmanager
def served(program: str, given_input: bytes | None = None):
    """The URL of a view server on a free port, serving in a thread of the test's process."""
    server = make_server(ViewSession(load(program), given_input))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def open_page(browser, url: str, requests: list[str] | None = None):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('#mem .cell').length > 0 && "
                           "document.getElementById('status').textContent.startsWith('ready')")
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
            page.wait_for_function(f"document.getElementById('steps').textContent === '{i}' && "
                                   "!document.getElementById('step').disabled")
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
        page.close()


@needs_chromium
def test_typed_input_reaches_an_echo_program(browser):
    with served("examples/echo.asq") as url:
        page = open_page(browser, url)
        page.select_option("#speed", "0")
        page.click("#run")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('waiting for input')")
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
    prime_line = next(i for i, text in enumerate((ROOT / program).read_text().splitlines(), 1)
                      if text.startswith("prime:"))
    with served(program) as url:
        page = open_page(browser, url)
        page.select_option("#speed", "0")
        page.click(f"#source .line[data-line='{prime_line}']")
        page.click("#run")
        page.wait_for_function("document.getElementById('status').textContent.startsWith('stopped at a breakpoint')")
        seen = shown(page)
        ref = reference_for(program)
        expected = ref.run(seen["steps"])
        assert seen["pc"] == expected.pc and seen["memory"] == expected.memory
        assert read_program(program).location(seen["pc"]).line == prime_line
        assert page.locator("#source .line.current").get_attribute("data-line") == str(prime_line)
        page.close()


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
