"""The CUDA path (skipped without onnxruntime-gpu and a GPU): exact against the reference."""

from __future__ import annotations

import onnxruntime as ort
import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.providers import CUDA_OPTIONS, provider_entry
from loopmlp.runtime.reference import bytes_reader, run_reference
from tests.conformance_cases import CONFORMANCE, cases

HAS_CUDA = "CUDAExecutionProvider" in ort.get_available_providers()
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="ONNX Runtime's CUDA provider is not here")


def test_cuda_sessions_turn_tf32_off():
    name, options = provider_entry("CUDAExecutionProvider")
    assert (
        name == "CUDAExecutionProvider" and options["use_tf32"] == "0" == CUDA_OPTIONS["use_tf32"]
    )
    assert provider_entry("CPUExecutionProvider") == "CPUExecutionProvider"


@pytest.mark.gpu
@needs_cuda
@pytest.mark.parametrize("form", ["factored", "loop"])
@pytest.mark.parametrize("case", cases("fast"), ids=lambda c: c["name"])
def test_conformance_on_cuda(case, form):
    machine = Machine(case["bits"], case["words"])
    image = load_program(CONFORMANCE / case["program"], machine.bits)
    data = case["input"].encode("latin-1")
    network = Network(build_model(machine, form, image), provider="cuda")
    assert network.provider == "CUDAExecutionProvider"
    got = network.run(None, case["max_steps"], bytes_reader(data))
    assert got == run_reference(machine, image, case["max_steps"], data)
