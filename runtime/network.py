"""Loading a loopmlp ONNX model into ONNX Runtime: its machine, its step, its embedded program."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

from ..compiler.modelfile import (
    LOOP_FINAL_STATE,
    LOOP_INPUT,
    LOOP_INPUT_USED,
    LOOP_MAX_STEPS,
    LOOP_OUTPUT,
    LOOP_STATE,
    LOOP_STEPS,
    MAX_MODEL_BYTES,
    STATE_IN,
    STATE_OUT,
    check_model,
    load_model,
)
from ..compiler.verify import verify_model
from ..ir.errors import LoopmlpError
from ..ir.layout import StateLayout
from .host import HOST_FIELDS, Batch, Host
from .profile import ObservedStep
from .result import RunResult
from .runner import ReadByte, Runner, never, no_input, one_by_one

__all__ = [
    "MAX_MODEL_BYTES",
    "PROVIDERS",
    "LoopRunner",
    "Network",
    "StepRunner",
    "choose_provider",
    "dense_numpy_step",
    "load_model",
]

RUN_ERRORS = (  # what ONNX Runtime raises loading or running a model it cannot run
    ort_errors.Fail,
    ort_errors.InvalidArgument,
    ort_errors.RuntimeException,
    ort_errors.InvalidGraph,
    ort_errors.NotImplemented,
)
IO_BINDING_FAILED = "Error in execution"  # how run_with_iobinding words a failed run
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
        self._buffers: dict[tuple, _PingPong | Resident] = {}
        self._model = model.SerializeToString()
        self.threads = threads
        self._sessions: dict[int, ort.InferenceSession] = {}
        self.session = self._session(threads or (1 if self.layout.size < ONE_THREAD_BELOW else 0))

    def _session(self, threads: int) -> ort.InferenceSession:
        """The session with `threads` pool threads (0: one per core), made on first use."""
        if threads not in self._sessions:
            try:
                self._sessions[threads] = ort.InferenceSession(
                    self._model,
                    self._session_options(threads),
                    providers=[provider_entry(self.provider)],
                )
            except RUN_ERRORS as err:
                raise LoopmlpError(
                    f"{self.source}: ONNX Runtime cannot load the model: {_ort_text(err)}"
                ) from None
        return self._sessions[threads]

    @staticmethod
    def _session_options(threads: int) -> ort.SessionOptions:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle pool threads spin for work by default, burning a core; where other processes
        # share the cores that costs more than it saves (benchmarks/bench_speed.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 4  # its errors reach the user as our one line
        return options

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
                Resident(self, states.shape) if self.resident else self._ping_pong(states)
            )
        return pair.step(states)

    def stepper(self) -> Callable[[np.ndarray], np.ndarray]:
        """The step function for the host loop: `step`, which also has `fetch` where the
        states stay on a device (see host.Step)."""
        if not self.resident:
            return self.step
        return _ResidentStep(self)

    def _ping_pong(self, states: np.ndarray) -> _PingPong:
        """The step buffers of a batch: a large batch (over ONE_THREAD_BELOW entries, more than
        one program) runs in row chunks of about CHUNK_ENTRIES, on one thread each, on as
        many threads at once as the session would have; any other in one call."""
        rows, size = states.shape
        if rows < 2 or states.size < ONE_THREAD_BELOW:
            return _PingPong(self._session_for(states), states.shape)
        workers = self.threads or os.cpu_count() or 1
        chunks = min(rows, workers * math.ceil(states.size / CHUNK_ENTRIES / workers))
        return _PingPong(self._session(1), states.shape, math.ceil(rows / chunks), workers)

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
            return LoopRunner(self, state)
        return StepRunner(self, state)

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
                f"{where}ONNX Runtime failed running the model: {_ort_text(err)}"
            ) from None


def _ort_text(err: Exception) -> str:
    """ONNX Runtime's message, on one line and at most 300 characters."""
    return " ".join(str(err).split())[:300]


class _PingPong:
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
    OrtValues, in turn input and output as in `_PingPong`). After a pass only the entries the
    host reads (`host.HOST_FIELDS`: status bits, output byte, input register, pc) come back,
    gathered on the device by a second, small session; the whole states come back only when
    the host asks (`fetch`: a program stopped, the run ended). What the host wrote between two
    passes (an input byte) is put back on the device before the next pass."""

    def __init__(self, network: Network, shape: tuple[int, int]) -> None:
        device = "cuda" if network.provider == PROVIDERS["cuda"] else "cpu"
        self.session = network._session_for(np.empty(shape, np.float32))
        self.values = [
            ort.OrtValue.ortvalue_from_shape_and_type(list(shape), np.float32, device, 0)
            for _ in range(2)
        ]
        layout = network.layout
        self.cols = np.concatenate(
            [np.arange(layout[n].offset, layout[n].stop) for n in HOST_FIELDS]
        )
        self.shadow = np.zeros(shape, np.float32)  # current only in `cols`
        self.picked = np.zeros((shape[0], len(self.cols)), np.float32)
        self.sent = self.picked.copy()  # the device's `cols` as the host last saw them
        gather = ort.InferenceSession(
            _gather_model(shape[1], self.cols).SerializeToString(),
            network._session_options(1),
            providers=[provider_entry(network.provider)],
        )
        picked = ort.OrtValue.ortvalue_from_numpy(self.picked)
        self.steps, self.gathers = [], []
        for src in (0, 1):
            binding = self.session.io_binding()
            binding.bind_ortvalue_input(STATE_IN, self.values[src])
            binding.bind_ortvalue_output(STATE_OUT, self.values[1 - src])
            self.steps.append(binding)
            binding = gather.io_binding()
            binding.bind_ortvalue_input("states", self.values[1 - src])
            binding.bind_ortvalue_output("picked", picked)
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


def _gather_model(size: int, cols: np.ndarray) -> onnx.ModelProto:
    """A model that gathers the columns `cols` of a batch of states (B, size)."""
    graph = onnx.helper.make_graph(
        [onnx.helper.make_node("Gather", ["states", "cols"], ["picked"], axis=1)],
        "host_fields",
        [onnx.helper.make_tensor_value_info("states", onnx.TensorProto.FLOAT, ["batch", size])],
        [
            onnx.helper.make_tensor_value_info(
                "picked", onnx.TensorProto.FLOAT, ["batch", len(cols)]
            )
        ],
        [onnx.numpy_helper.from_array(cols.astype(np.int64), "cols")],
    )
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


class StepRunner(Runner):
    """A step-form model (dense, factored): the host loops the network one pass at a time."""

    def __init__(self, network: Network, state: np.ndarray) -> None:
        self.network, self.machine = network, network.machine
        self.host = Host(network.machine, state)
        self.step = network.stepper()  # one pass; an observer (a profile) may wrap it

    @property
    def output(self) -> bytearray:  # type: ignore[override]
        """The bytes written since the start."""
        return self.host.output

    @property
    def state(self) -> np.ndarray:
        """The current state, shape (1, S)."""
        return self.host.state

    @property
    def states(self) -> np.ndarray:
        """The current state, shape (1, S) (the name of the batch it is one row of)."""
        return self.host.state

    @property
    def total_steps(self) -> int:
        """Steps run since the start."""
        return self.host.total_steps

    def run(
        self,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """Loop the network until halt, fault, `max_steps` more steps or `interrupted()`."""
        with self.network.named():
            return self.host.run(self.step, max_steps, read_byte, interrupted)

    def result(self) -> RunResult:
        """The run so far."""
        return self.host.result()

    def resume(self, steps: int, output: bytes) -> None:
        """Count `steps` and `output` of an earlier run as done."""
        self.host.resume(steps, output)

    def snapshot(self) -> np.ndarray:
        """The state (S,)."""
        return self.host.state[0]

    def count_visits(self) -> list[int] | np.ndarray:
        """Observe every pass on its way through the network and count the steps per pc."""
        visits = np.zeros(self.machine.words, dtype=np.int64)
        self.step = ObservedStep(self.step, self.machine, visits)
        return visits


class LoopRunner(Runner):
    """A Loop-form model: the whole run (up to max_steps) is one ONNX Runtime call.

    The input is handed over whole: `read_byte` is read to EOF before the run, and what the
    run did not consume is kept for the next call. `interrupted` is looked at only between
    calls (see `chunk_steps`).
    """

    chunk_steps = 10_000

    def __init__(self, network: Network, state: np.ndarray) -> None:
        self.network, self.machine = network, network.machine
        self.states = Batch(network.machine, state).states  # validated, shape (1, S)
        self.output = bytearray()
        self.steps = 0
        self.pending = bytearray()
        self.ended = False  # the input reached its end: it is not read again (a terminal's
        # end of input, Ctrl-D, is not final, and a second read would wait for more)

    @property
    def state(self) -> np.ndarray:
        """The current state, shape (1, S)."""
        return self.states

    @property
    def total_steps(self) -> int:
        """Steps run since the start."""
        return self.steps

    def run(
        self,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """One ONNX Runtime call: until halt, fault or `max_steps` more steps."""
        while not self.ended:
            byte = read_byte()
            if byte < 0:
                self.ended = True
            else:
                self.pending.append(byte)
        with self.network.named():
            final, output, steps, used = self.network.session.run(
                [LOOP_FINAL_STATE, LOOP_OUTPUT, LOOP_STEPS, LOOP_INPUT_USED],
                {
                    LOOP_STATE: self.states,
                    LOOP_INPUT: np.frombuffer(bytes(self.pending), np.uint8),
                    LOOP_MAX_STEPS: np.array(max_steps, np.int64),
                },
            )
            self.states = final
            self.output += bytes(output)
            self.steps += int(steps)
            del self.pending[: int(used)]
            return self.result()  # reads the final state: a damaged one names the model

    def result(self) -> RunResult:
        """The run so far."""
        batch = Batch(self.machine, self.states)
        batch.steps[0], batch.outputs[0] = self.steps, self.output
        return batch.result(0)

    def resume(self, steps: int, output: bytes) -> None:
        """Count `steps` and `output` of an earlier run as done."""
        self.steps += steps
        self.output += output

    def snapshot(self) -> np.ndarray:
        """The state (S,)."""
        return self.states[0]

    def count_visits(self) -> list[int] | np.ndarray:
        """Refused: the Loop form runs its steps inside ONNX Runtime, out of sight."""
        raise LoopmlpError(
            "--profile observes every step, which the Loop form runs inside "
            "ONNX Runtime: use --form factored (or dense)"
        )

    def unread_input(self, given: bytes | None) -> bytes | None:
        """The input read ahead and not yet consumed by the network (None where the input is
        stdin and nothing of it is left over: a resumed run reads its own stdin)."""
        if given is None and not self.pending:
            return None
        return bytes(self.pending)


PROVIDERS = {"cpu": "CPUExecutionProvider", "cuda": "CUDAExecutionProvider"}


# ONNX Runtime's CUDA provider runs float32 GEMMs in TF32 by default on recent GPUs, which
# keeps about 10 mantissa bits: sums of the network's integer weights would no longer be exact.
CUDA_OPTIONS = {"use_tf32": "0"}


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


def dense_numpy_step(weights: list[tuple[np.ndarray, np.ndarray]]):
    """A plain float32 numpy forward pass of the emitted weights (for differential testing)."""
    ws = [(w.astype(np.float32).T.copy(), b.astype(np.float32)) for w, b in weights]

    def step(states: np.ndarray) -> np.ndarray:
        h = states.astype(np.float32)
        for w, b in ws:
            h = np.maximum(h @ w + b, 0)
        return h

    return step
