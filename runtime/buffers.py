"""The step buffers: where a batch's states live between two passes of a step network.

On the CPU (`PingPong`) two buffers are read and written in turn, each bound to ONNX Runtime
once; on a device (`Resident`) the states stay there and only the entries the host reads come
back after each pass.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np
import onnxruntime as ort

from ..compiler.build import GATHER_IN, GATHER_OUT, export_gather
from ..compiler.modelfile import STATE_IN, STATE_OUT
from ..ir.layout import StateLayout
from .host import HOST_FIELDS
from .providers import PROVIDERS, provider_entry, session_options


class PingPong:
    """Two state buffers that ONNX Runtime reads and writes in turn, each bound once.

    A step from buffer A writes buffer B and the next from B writes A, so no array is
    allocated, copied or bound per step; any other input is first copied into A. A batch in
    chunks of `rows` rows binds each chunk (a view of both buffers) once, and runs the chunks
    on `workers` threads.
    """

    def __init__(
        self,
        session: ort.InferenceSession,
        shape: tuple[int, ...],
        rows: int | None = None,
        workers: int = 1,
    ) -> None:
        self.buffers = [np.zeros(shape, np.float32), np.zeros(shape, np.float32)]
        self.session, self.bindings = session, []
        rows = rows or shape[0]
        for src, dst in ((0, 1), (1, 0)):
            chunks = []
            for start in range(0, shape[0], rows):
                binding = session.io_binding()
                binding.bind_ortvalue_input(
                    STATE_IN,
                    ort.OrtValue.ortvalue_from_numpy(self.buffers[src][start : start + rows]),
                )
                binding.bind_ortvalue_output(
                    STATE_OUT,
                    ort.OrtValue.ortvalue_from_numpy(self.buffers[dst][start : start + rows]),
                )
                chunks.append(binding)
            self.bindings.append(chunks)
        self.pool = ThreadPoolExecutor(workers) if len(chunks) > 1 and workers > 1 else None

    def step(self, states: np.ndarray) -> np.ndarray:
        """One pass from `states` (B, S); the result is one of the two buffers."""
        if states is self.buffers[1]:
            self._run(self.bindings[1])
            return self.buffers[0]
        if states is not self.buffers[0]:
            self.buffers[0][...] = states
        self._run(self.bindings[0])
        return self.buffers[1]

    def _run(self, chunks: list) -> None:
        if self.pool is None:
            for binding in chunks:
                self.session.run_with_iobinding(binding)
            return
        runs = [self.pool.submit(self.session.run_with_iobinding, b) for b in chunks]
        try:
            for run in runs:
                run.result()
        finally:  # no chunk is still writing a buffer when the caller goes on
            wait(runs)


class Resident:
    """A batch's states kept on the provider's device between passes (I/O binding with device
    OrtValues, in turn input and output as in `PingPong`). After a pass only the entries the
    host reads (`host.HOST_FIELDS`: status bits, output byte, input register, pc) come back,
    gathered on the device by a second, small session (`compiler.build.export_gather`); the
    whole states come back only when the host asks (`fetch`: a program stopped, the run
    ended). What the host wrote between two passes (an input byte) is put back on the device
    before the next pass."""

    def __init__(
        self,
        session: ort.InferenceSession,
        provider: str,
        layout: StateLayout,
        shape: tuple[int, int],
    ) -> None:
        device = "cuda" if provider == PROVIDERS["cuda"] else "cpu"
        self.session = session
        self.values = [
            ort.OrtValue.ortvalue_from_shape_and_type(list(shape), np.float32, device, 0)
            for _ in range(2)
        ]
        self.cols = np.concatenate(
            [np.arange(layout[n].offset, layout[n].stop) for n in HOST_FIELDS]
        )
        self.shadow = np.zeros(shape, np.float32)  # current only in `cols`
        self.picked = np.zeros((shape[0], len(self.cols)), np.float32)
        self.sent = self.picked.copy()  # the device's `cols` as the host last saw them
        gather = ort.InferenceSession(
            export_gather(shape[1], self.cols).SerializeToString(),
            session_options(1),
            providers=[provider_entry(provider)],
        )
        picked = ort.OrtValue.ortvalue_from_numpy(self.picked)
        self.steps, self.gathers = [], []
        for src in (0, 1):
            binding = self.session.io_binding()
            binding.bind_ortvalue_input(STATE_IN, self.values[src])
            binding.bind_ortvalue_output(STATE_OUT, self.values[1 - src])
            self.steps.append(binding)
            binding = gather.io_binding()
            binding.bind_ortvalue_input(GATHER_IN, self.values[1 - src])
            binding.bind_ortvalue_output(GATHER_OUT, picked)
            self.gathers.append(binding)
        self.gather, self.current = gather, 0

    def step(self, states: np.ndarray) -> np.ndarray:
        """One pass; the result is current only in `cols` (see host.Step)."""
        if states is not self.shadow:
            self.values[0].update_inplace(np.ascontiguousarray(states, np.float32))
            self.current = 0
        elif not np.array_equal(self.shadow[:, self.cols], self.sent):
            whole = self.values[self.current].numpy()
            whole[:, self.cols] = self.shadow[:, self.cols]
            self.values[self.current].update_inplace(whole)
        self.session.run_with_iobinding(self.steps[self.current])
        self.gather.run_with_iobinding(self.gathers[self.current])
        self.current = 1 - self.current
        self.shadow[:, self.cols] = self.picked
        self.sent[...] = self.picked
        return self.shadow

    def fetch(self, states: np.ndarray) -> np.ndarray:
        """The whole states of the last pass, with what the host wrote since (as host.Step's
        `fetch`)."""
        if states is not self.shadow:
            return states
        whole = self.values[self.current].numpy()
        whole[:, self.cols] = self.shadow[:, self.cols]
        return whole
