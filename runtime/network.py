"""A loopmlp ONNX model loaded, checked and opened in ONNX Runtime (`Network`, an engine): its
machine, its sessions, its step with the step buffers it keeps (buffers.py), its embedded
program, and the runners it makes (runners.py)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from ..compiler.modelfile import MAX_MODEL_BYTES, STATE_IN, STATE_OUT, check_model, load_model
from ..compiler.verify import verify_model
from ..ir.errors import LoopmlpError
from ..ir.layout import StateLayout
from .buffers import PingPong, Resident
from .host import Batch
from .providers import (
    IO_BINDING_FAILED,
    PROVIDERS,
    RUN_ERRORS,
    choose_provider,
    open_session,
    ort_text,
)
from .result import RunResult
from .runner import ReadByte, Runner, never, no_input, one_by_one
from .runners import LoopRunner, StepRunner

__all__ = [
    "MAX_MODEL_BYTES",
    "PROVIDERS",
    "Network",
    "load_model",
]

ONE_THREAD_BELOW = 1 << 16  # state entries a step below which one thread is fastest (measured)
KEPT_SHAPES = 4  # batch shapes whose step buffers a network keeps
# State entries of one chunk of a large batch: its activations then stay in the cache, and
# chunks on one thread each beat one call on every core (benchmarks/bench_speed.py, B=256).
CHUNK_ENTRIES = 1 << 17


class Network:
    """An ONNX Runtime session over one loopmlp model; `step` is one pass of the 23 layers."""

    def __init__(
        self,
        model: onnx.ModelProto | str | Path,
        threads: int = 0,
        provider: str = "cpu",
        binding: bool = True,
        verify: bool | None = None,
        resident: bool | None = None,
    ) -> None:
        """`model`: a model file's path, or a model in memory. Every model is checked
        (`modelfile.check_model`: its seal, metadata and inputs); with `verify` its layers are
        also compared with the network the compiler builds for its machine
        (`compiler.verify.verify_model`). By default a file is verified and a model in memory,
        which the caller built or checked, is not. With `resident` (the default on CUDA) the
        host loop keeps the states on the provider's device between passes (`Resident`)."""
        source = "<model>" if isinstance(model, onnx.ModelProto) else str(model)
        if verify is None:
            verify = not isinstance(model, onnx.ModelProto)
        if not isinstance(model, onnx.ModelProto):
            model = load_model(model)
        self.source = source
        self.info = check_model(model, source)
        if verify:
            verify_model(model, self.info, source)
        self.machine = self.info.machine
        self.layout = StateLayout(self.machine)
        self.provider = choose_provider(provider)
        # On the CPU, I/O binding lets ONNX Runtime write each next state into a buffer that
        # is reused every step, instead of allocating and copying a new array per pass.
        self.binding = binding and self.provider == "CPUExecutionProvider"
        self.resident = self.provider != "CPUExecutionProvider" if resident is None else resident
        self._buffers: dict[tuple, PingPong | Resident] = {}
        self._model = model.SerializeToString()
        self.threads = threads
        self._sessions: dict[int, ort.InferenceSession] = {}
        self.session = self._session(threads or (1 if self.layout.size < ONE_THREAD_BELOW else 0))

    def _session(self, threads: int) -> ort.InferenceSession:
        """The session with `threads` pool threads (0: one per core), made on first use."""
        if threads not in self._sessions:
            self._sessions[threads] = open_session(self._model, threads, self.provider, self.source)
        return self._sessions[threads]

    def _session_for(self, states: np.ndarray) -> ort.InferenceSession:
        """With threads=0, one thread for a step on fewer than ONE_THREAD_BELOW entries (a
        second thread costs more than it brings there), every core for more."""
        if self.threads or states.size < ONE_THREAD_BELOW:
            return self.session
        return self._session(0)

    @property
    def form(self) -> str:
        """dense, factored or loop."""
        return self.info.form

    def step(self, states: np.ndarray) -> np.ndarray:
        """One pass of the 23 layers over a batch of states (B, S) (not for the Loop form)."""
        if self.form == "loop":
            raise LoopmlpError("a Loop-form model runs whole programs, not single steps")
        if not (self.binding or self.resident):
            return self._session_for(states).run([STATE_OUT], {STATE_IN: states})[0]
        pair = self._buffers.get(states.shape)
        if pair is None:
            # A batch shrinks as its programs stop: the buffers of a few shapes are kept.
            if len(self._buffers) >= KEPT_SHAPES:
                del self._buffers[next(iter(self._buffers))]
            pair = self._buffers[states.shape] = (
                Resident(self._session_for(states), self.provider, self.layout, states.shape)
                if self.resident
                else self._ping_pong(states)
            )
        return pair.step(states)

    def stepper(self) -> Callable[[np.ndarray], np.ndarray]:
        """The step function for the host loop: `step`, which also has `fetch` where the
        states stay on a device (see host.Step)."""
        if not self.resident:
            return self.step
        return _ResidentStep(self)

    def _ping_pong(self, states: np.ndarray) -> PingPong:
        """The step buffers of a batch: a large batch (over ONE_THREAD_BELOW entries, more than
        one program) runs in row chunks of about CHUNK_ENTRIES, on one thread each, on as
        many threads at once as the session would have; any other in one call."""
        rows, size = states.shape
        if rows < 2 or states.size < ONE_THREAD_BELOW:
            return PingPong(self._session_for(states), states.shape)
        workers = self.threads or os.cpu_count() or 1
        chunks = min(rows, workers * math.ceil(states.size / CHUNK_ENTRIES / workers))
        return PingPong(self._session(1), states.shape, math.ceil(rows / chunks), workers)

    def initial_state(self, image: list[int] | None = None) -> np.ndarray:
        """The state for `image`, or the program embedded in the model."""
        if image is not None:
            if len(image) > self.machine.words:
                raise LoopmlpError(
                    f"the program has {len(image)} words but the model's machine "
                    f"({self.machine.describe()}) has only {self.machine.words}"
                )
            return self.layout.initial(image)
        if self.info.initial_state is None:
            raise LoopmlpError(
                f"{self.source}: this model holds no program (compiled with --machine): "
                "give --program"
            )
        return self.info.initial_state

    def runner(self, image: list[int] | None = None, state: np.ndarray | None = None) -> Runner:
        """A resumable run of one program (from `image`, the embedded program, or a saved
        state): `.run(max_steps, read_byte)`, `.output`."""
        state = self.initial_state(image) if state is None else state
        if self.form == "loop":
            return LoopRunner(self.machine, state, self.session, self.named)
        return StepRunner(self.machine, state, self.stepper(), self.form, self.named)

    def run(
        self, image: list[int] | None, max_steps: int, read_byte: ReadByte = no_input
    ) -> RunResult:
        """A run from the start of `image`, or with `image` None of the program embedded in
        the model, for up to `max_steps` steps, reading input bytes from `read_byte`."""
        return self.runner(image).run(max_steps, read_byte)

    def run_batch(
        self,
        images: list[list[int]],
        max_steps: int | list[int],
        readers: list[ReadByte] | None = None,
        interrupted: Callable[[], bool] = never,
    ) -> list[RunResult]:
        """Several programs advancing together through the same network, until they end or
        `interrupted()` (a Loop-form model runs them one after another)."""
        if self.form == "loop":
            return one_by_one(self, images, max_steps, readers, interrupted)
        batch = Batch(self.machine, np.stack([self.initial_state(image) for image in images]))
        with self.named():
            return batch.run(self.stepper(), max_steps, readers, interrupted)

    @contextmanager
    def named(self) -> Iterator[None]:
        """Errors the host finds in what the network computed, and ONNX Runtime's own while
        running it (a model run with --trust-model may be anything), in one line naming the
        model file."""
        where = "" if self.source == "<model>" else f"{self.source}: "
        try:
            yield
        except LoopmlpError as err:
            if not where:
                raise
            raise LoopmlpError(f"{where}{err}") from None
        except (*RUN_ERRORS, RuntimeError) as err:
            if type(err) is RuntimeError and not str(err).startswith(IO_BINDING_FAILED):
                raise
            raise LoopmlpError(
                f"{where}ONNX Runtime failed running the model: {ort_text(err)}"
            ) from None


class _ResidentStep:
    """`Network.step` with `fetch`, for a network whose states stay on a device."""

    def __init__(self, network: Network) -> None:
        self.network = network

    def __call__(self, states: np.ndarray) -> np.ndarray:
        return self.network.step(states)

    def fetch(self, states: np.ndarray) -> np.ndarray:
        for kept in self.network._buffers.values():
            if isinstance(kept, Resident):
                states = kept.fetch(states)
        return states
