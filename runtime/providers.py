"""ONNX Runtime's side of a model: execution providers, session options, its errors in one line."""

from __future__ import annotations

import sys

import onnxruntime as ort
from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

from ..ir.errors import LoopmlpError

PROVIDERS = {"cpu": "CPUExecutionProvider", "cuda": "CUDAExecutionProvider"}

# ONNX Runtime's CUDA provider runs float32 GEMMs in TF32 by default on recent GPUs, which
# keeps about 10 mantissa bits: sums of the network's integer weights would no longer be exact.
CUDA_OPTIONS = {"use_tf32": "0"}

RUN_ERRORS = (  # what ONNX Runtime raises loading or running a model it cannot run
    ort_errors.Fail,
    ort_errors.InvalidArgument,
    ort_errors.RuntimeException,
    ort_errors.InvalidGraph,
    ort_errors.NotImplemented,
)
IO_BINDING_FAILED = "Error in execution"  # how run_with_iobinding words a failed run


def provider_entry(provider: str):
    """What InferenceSession's `providers` takes for `provider`, with the options that keep it
    exact (TF32 off on CUDA)."""
    if provider == PROVIDERS["cuda"]:
        return (provider, dict(CUDA_OPTIONS))
    return provider


def choose_provider(name: str) -> str:
    """The ONNX Runtime execution provider for `name`, or the CPU with a one-line notice."""
    if name not in PROVIDERS:
        raise LoopmlpError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}")
    wanted = PROVIDERS[name]
    if wanted in ort.get_available_providers():
        return wanted
    print(f"loopmlp: notice: {wanted} is not available here; running on the CPU", file=sys.stderr)
    return PROVIDERS["cpu"]


def session_options(threads: int) -> ort.SessionOptions:
    """Options of a session with `threads` pool threads (0: one per core)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle pool threads spin for work by default, burning a core; where other processes
    # share the cores that costs more than it saves (benchmarks/bench_speed.py).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 4  # its errors reach the user as our one line
    return options


def open_session(model: bytes, threads: int, provider: str, source: str) -> ort.InferenceSession:
    """A session over the serialized `model`, or one line naming `source` if ONNX Runtime
    cannot load it."""
    try:
        return ort.InferenceSession(
            model, session_options(threads), providers=[provider_entry(provider)]
        )
    except RUN_ERRORS as err:
        raise LoopmlpError(
            f"{source}: ONNX Runtime cannot load the model: {ort_text(err)}"
        ) from None


def ort_text(err: Exception) -> str:
    """ONNX Runtime's message, on one line and at most 300 characters."""
    return " ".join(str(err).split())[:300]
