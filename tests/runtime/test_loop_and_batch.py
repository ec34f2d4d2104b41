"""Whole runs inside ONNX Runtime (Loop form) and batches of programs, against the reference."""

from __future__ import annotations

from collections import defaultdict

import onnx
import pytest
from hypothesis import HealthCheck, given, settings

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference, bytes_reader, run_reference
from tests.compiler.test_network import programs
from tests.conformance_cases import CONFORMANCE, cases, check_report
from tests.network_engines import loop_network
from tests.runtime.test_cli import loopmlp


@pytest.mark.parametrize("machine", [Machine(8, 16), Machine(4, 16)], ids=lambda m: m.describe())
def test_loop_form_agrees_with_reference_step_by_step(machine):
    network = loop_network(machine)

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(programs(machine))
    def check(program):
        image, data = program
        ref, ref_input = Reference(machine, image), bytes_reader(data)
        runner, net_input = network.runner(image), bytes_reader(data)
        for _ in range(10):
            want = ref.run(1, ref_input)
            assert runner.run(1, net_input) == want  # one Loop call of at most one step
            if want.end != "step-limit":
                break

    check()


def test_loop_model_passes_the_checker_and_shows_the_step_body():
    model = build_model(Machine(8, 16), "loop")
    onnx.checker.check_model(model, full_check=True)
    (loop,) = [n for n in model.graph.node if n.op_type == "Loop"]
    body = loop.attribute[0].g
    layer_names = {n.name.split("/")[0] for n in body.node}
    assert {"fetch_1", "subtract_1", "branch_4", "io_device"} <= layer_names


@pytest.mark.parametrize("case", cases("fast", "medium"), ids=lambda c: c["name"])
def test_loop_form_runs_conformance_whole(case):
    machine = Machine(case["bits"], case["words"])
    image = load_program(CONFORMANCE / case["program"], machine.bits)
    result = loop_network(machine).run(
        image, case["max_steps"], bytes_reader(case["input"].encode("latin-1"))
    )
    check_report(result.report(), case)


def test_every_fast_and_medium_case_in_one_batch_per_machine():
    by_machine = defaultdict(list)
    for case in cases("fast", "medium"):
        by_machine[Machine(case["bits"], case["words"])].append(case)
    for machine, group in by_machine.items():
        network = Network(build_model(machine, "factored"))
        images = [load_program(CONFORMANCE / c["program"], machine.bits) for c in group]
        results = network.run_batch(
            images,
            [c["max_steps"] for c in group],
            [bytes_reader(c["input"].encode("latin-1")) for c in group],
        )
        for case, result in zip(group, results, strict=True):
            check_report(result.report(), case)


def test_batch_position_and_threads_do_not_change_results():
    machine = Machine(8, 64)
    image = load_program(CONFORMANCE / "mazonka_hello/hello.asq", 8)
    loop = [3, 4, 6, 7, 7, 7, 3, 4, 0]
    want_hello, want_loop = run_reference(machine, image, 500), run_reference(machine, loop, 500)
    for threads in (1, 2):
        network = Network(build_model(machine, "factored"), threads=threads)
        results = network.run_batch([loop, image, loop, image], 500)
        assert results == [want_loop, want_hello, want_loop, want_hello]


def test_cli_runs_a_batch_and_reports_each(tmp_path):
    import json

    hi = str(CONFORMANCE / "esolangs_hi/program.txt")
    loop = str(CONFORMANCE / "esolangs_loop/program.txt")
    report = tmp_path / "r.json"
    proc = loopmlp("run", hi, loop, "--bits", "8", "--max-steps", "10", "--report", str(report))
    assert proc.stdout == f"==> {hi} <==\nHi\n==> {loop} <==\n".encode()
    assert proc.returncode == 4  # the worst of halt (0) and step limit (4)
    runs = json.loads(report.read_text())
    assert [(r["end"], r["steps"]) for r in runs] == [("halt", 3), ("step-limit", 10)]
