"""`loopmlp trace`: pictures of a run (memory and pc over time) and of one step's 23 layers."""

from __future__ import annotations

import numpy as np

from ..ir.errors import LoopmlpError
from ..ir.files import write_atomically
from ..ir.graph import layer_name, stage_of_layer
from .runner import ReadByte, Runner

STAGE_COLOURS = {
    "fetch": "#4c72b0",
    "operand_read": "#55a868",
    "subtract": "#c44e52",
    "write_back": "#8172b2",
    "next_pc": "#ccb974",
    "branch": "#64b5cd",
}


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise LoopmlpError(
            "loopmlp trace draws with matplotlib: pip install 'loopmlp[plot]'"
        ) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def record_run(runner: Runner, steps: int, read_byte: ReadByte) -> dict:
    """Memory, pc and output after every step of `runner` (row 0 is where it starts)."""
    result = runner.result()
    memory, pcs, outputs = [result.memory], [result.pc], []
    for _ in range(steps):
        before = len(runner.output)
        result = runner.run(1, read_byte)
        memory.append(result.memory)
        pcs.append(result.pc)
        outputs += [{"step": result.steps, "byte": b} for b in runner.output[before:]]
        if result.end != "step-limit":
            break
    return {
        "memory": memory,
        "pc": pcs,
        "outputs": outputs,
        "end": result.end,
        "steps": result.steps,
    }


def source_lines(program, pcs: list[int]) -> list[str | None]:
    """For each row of a run, the source line of the instruction at its pc ("L12", or the
    generated routine's name), for programs that carry a source map."""
    marks: list[str | None] = []
    for pc in pcs:
        where = program.location(pc)
        marks.append(None if where is None else f"L{where.line}" if where.line else where.function)
    return marks


def _mark_source_lines(ax, data: dict) -> None:
    """Label the pc path with the source line each time it changes."""
    shown = None
    for row, (pc, mark) in enumerate(zip(data["pc"], data.get("source") or [], strict=False)):
        if mark is not None and mark != shown and pc >= 0:
            ax.annotate(
                mark,
                (pc, row),
                xytext=(-3, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                fontsize=7,
                color="black",
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
        shown = mark


def draw_run(data: dict, title: str, path: str) -> None:
    plt = _pyplot()
    memory = np.array(data["memory"])
    used = max(
        16,
        int(np.flatnonzero(memory.any(axis=0)).max(initial=0)) + 1,
        int(max(p for p in data["pc"] if p >= 0) if any(p >= 0 for p in data["pc"]) else 0) + 3,
    )
    memory = memory[:, :used]
    limit = max(1, int(np.abs(memory).max()))
    fig, ax = plt.subplots(figsize=(min(16, 4 + used / 8), min(12, 3 + len(memory) / 12)))
    image = ax.imshow(
        memory, aspect="auto", cmap="coolwarm", vmin=-limit, vmax=limit, interpolation="nearest"
    )
    steps = np.arange(len(data["pc"]))
    pcs = np.array(data["pc"])
    running = pcs >= 0
    ax.plot(pcs[running], steps[running], "k.-", lw=0.6, ms=3, label="pc")
    for out in data["outputs"]:
        ch = chr(out["byte"]) if 32 <= out["byte"] < 127 else f"\\x{out['byte']:02x}"
        ax.annotate(
            ch,
            (used - 0.5, out["step"]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color="darkgreen",
            annotation_clip=False,
        )
    _mark_source_lines(ax, data)
    ax.set_xlabel("memory address (colour: the word's value)")
    ax.set_ylabel("step")
    ax.set_title(f"{title}: {data['steps']} steps, {data['end']}; output at right")
    ax.legend(loc="upper right", fontsize=8)
    fig.colorbar(image, ax=ax, fraction=0.03, pad=0.06)
    fig.tight_layout()
    _save(fig, path)


def draw_layers(layers: list[list[int]], title: str, path: str) -> None:
    plt = _pyplot()
    width = max(len(row) for row in layers)
    grid = np.full((len(layers), width), np.nan)
    for i, row in enumerate(layers):
        grid[i, : len(row)] = row
    fig, ax = plt.subplots(figsize=(14, 7))
    cmap = plt.get_cmap("Greys").copy()
    cmap.set_bad("#d8d8d8")
    ax.imshow(grid, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    labels = ["state"] + [layer_name(t) for t in range(1, len(layers))]
    ax.set_yticks(range(len(layers)), labels, fontsize=8)
    for t in range(1, len(layers)):
        ax.get_yticklabels()[t].set_color(STAGE_COLOURS[stage_of_layer(t)])
        ones = sum(layers[t])
        ax.annotate(
            f"{ones} of {len(layers[t])} active",
            (width, t),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            annotation_clip=False,
        )
    ax.set_xlabel("neuron (black: 1, white: 0, grey: no neuron)")
    ax.set_title(title)
    fig.tight_layout()
    _save(fig, path)


def _save(fig, path: str) -> None:
    """The figure as a PNG, written atomically (a full disk leaves no partial picture)."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    write_atomically(path, buffer.getvalue(), "picture")
