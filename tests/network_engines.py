"""Every way loopmlp can execute a step, built once per machine, for differential tests."""

from __future__ import annotations

from functools import cache

import numpy as np

from loopmlp.compiler.driver import compile_machine
from loopmlp.compiler.export import export_dense, export_factored, export_loop
from loopmlp.compiler.export.weights import dense_weights
from loopmlp.compiler.lower import lower
from loopmlp.ir.evaluate import evaluate
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network


def dense_numpy_step(weights: list[tuple[np.ndarray, np.ndarray]]):
    """A plain float32 numpy forward pass of the emitted weights: ReLU(W h + b), 23 times."""
    ws = [(w.astype(np.float32).T.copy(), b.astype(np.float32)) for w, b in weights]

    def step(states: np.ndarray) -> np.ndarray:
        h = states.astype(np.float32)
        for w, b in ws:
            h = np.maximum(h @ w + b, 0)
        return h

    return step


@cache
def engines(machine: Machine) -> dict:
    """name -> step function over float32 states: the lowered IR, the scheduled IR, the dense
    weights in numpy, and the dense and factored ONNX models in ONNX Runtime."""
    lowered = lower(machine)
    compiled = compile_machine(machine)

    def ir_step(graph):
        return lambda s: evaluate(graph, s.astype(np.int64))[0].astype(np.float32)

    return {
        "ir": ir_step(lowered),
        "scheduled_ir": ir_step(compiled.graph),
        "numpy_dense": dense_numpy_step(dense_weights(compiled.graph, compiled.layers)),
        "ort_dense": Network(export_dense(compiled)).step,
        "ort_factored": Network(export_factored(compiled)).step,
    }


@cache
def loop_network(machine: Machine) -> Network:
    return Network(export_loop(compile_machine(machine)))
