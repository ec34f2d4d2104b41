"""`loopmlp inspect`: what a model file holds: machine, form, parameters, layers, state layout."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
from onnx import numpy_helper

from ..compiler.modelfile import check_model, layer_calls, load_model
from ..compiler.verify import verify_model


def inspect_model(path: str | Path, verify: bool = True) -> dict:
    """What the model file at `path` holds, as a JSON-ready dict; with `verify`, after checking
    that its layers are the network the compiler builds for its machine."""
    model = load_model(path)
    info = check_model(model, str(path))
    if verify:
        verify_model(model, info, str(path))
    arrays = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    nonzero = {name: int(np.count_nonzero(a)) for name, a in arrays.items()}
    calls = {c.op_type: c for c in layer_calls(model.graph)}
    layers = []
    for row in info.layers:
        call = calls.get(row.name)
        weights = [name for name in call.input if name in arrays] if call is not None else []
        layers.append(
            {
                **asdict(row),
                "nonzero_weights": sum(nonzero[n] for n in weights),
                "stored_weights": sum(int(arrays[n].size) for n in weights),
            }
        )
    m = info.machine
    return {
        "file": str(path),
        "file_bytes": Path(path).stat().st_size,
        "machine": {"bits": m.bits, "words": m.words, "io": m.io},
        "form": info.form,
        "version": info.version,
        "program_words": None if info.program is None else len(info.program),
        "exit_address": info.exit_address,
        "args": None if info.args is None else list(info.args),
        "verified": verify,
        "parameters": {
            "total": int(sum(a.size for a in arrays.values())),
            "nonzero": sum(nonzero.values()),
        },
        "bound": {"per_layer": info.bound, "largest": max(info.bound), "limit": 1 << 24},
        "layers": layers,
        "state_size": info.state_size,
        "layout": info.layout,
    }


def render(report: dict) -> str:
    """The report of `inspect_model` as text for a terminal."""
    m = report["machine"]
    program = (
        f"{report['program_words']} words embedded"
        if report["program_words"] is not None
        else "none (a machine model)"
    )
    if report["exit_address"] is not None:
        program += f"; its exit status is word {report['exit_address']} at a halt"
    if report.get("args") is not None:
        address, words = report["args"]
        program += f"; its arguments are loaded into words {address} to {address + words - 1}"
    lines = [
        (
            f"model      {report['file']} ({report['form']} form, {report['file_bytes']:,} bytes, "
            f"loopmlp {report['version']})"
        ),
        f"machine    N={m['bits']} bits, K={m['words']} words, I/O {'on' if m['io'] else 'off'}",
        f"program    {program}",
        (
            "verified   its layers are the network loopmlp builds for this machine"
            if report["verified"]
            else "verified   no (--trust-model): its layers were not compared"
        ),
        f"parameters {report['parameters']['total']:,} stored, "
        f"{report['parameters']['nonzero']:,} nonzero",
        (
            f"float32    largest |pre-activation| {report['bound']['largest']:,} < 2^24 = "
            f"{report['bound']['limit']:,}: exact"
        ),
        "",
        f"{'#':>3}  {'layer':<15}{'stage':<13}{'in':>9}{'out':>9}{'nonzero w':>11}"
        "  neurons by gadget",
    ]
    for row in report["layers"]:
        kinds = ", ".join(f"{k} {n:,}" for k, n in row["neurons"].items())
        lines.append(
            f"{row['index']:>3}  {row['name']:<15}{row['stage']:<13}{row['inputs']:>9,}"
            f"{row['outputs']:>9,}{row['nonzero_weights']:>11,}  {kinds}"
        )
    lines += [
        "",
        f"state layout ({report['state_size']:,} entries, each a bit)",
        f"{'offset':>8}{'size':>8}  {'field':<16}meaning",
    ]
    for f in report["layout"]:
        size = int(np.prod(f["shape"])) if f["shape"] else 1
        lines.append(f"{f['offset']:>8,}{size:>8,}  {f['name']:<16}{f['doc']}")
    return "\n".join(lines)
