// loopmlp view: draws frames of a run. Live, the frames come from the server (which runs the
// network in ONNX Runtime); in a file written by `trace --html`, from a recorded run.

const $ = (id) => document.getElementById(id);
const STATUS_NAMES = ["halted", "fault_operand", "fault_past_end", "fault_pc", "stepped",
  "in_wanted", "out_ready", "in_full", "in_eof"];

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}) });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

class LiveSource {
  live = true;
  async describe() { return (await fetch("api/describe")).json(); }
  async frame() { return (await fetch("api/frame")).json(); }
  advance(steps, seconds, breaks) {
    return post("api/advance", { steps, seconds, break_pcs: breaks.pcs, break_cells: breaks.cells });
  }
  reset() { return post("api/reset"); }
  input(text, eof) { return post("api/input", { text, eof }); }
  async layers() { return (await fetch("api/layers")).json(); }
  open(name) { return post("api/open", { name }); }
}

// A recorded run: frames[0] is whole, each next frame holds what one step changed.
class ReplaySource {
  live = false;
  constructor(data) { this.data = data; this.at = 0; }
  async describe() { return this.data.describe; }
  async frame() { return this.reset(); }
  async reset() { this.at = 0; this.memory = this.data.frames[0].cells[0][1].slice(); return this.data.frames[0]; }
  async advance(steps, _seconds, breaks) {
    const frames = this.data.frames, changed = new Map(), output = [];
    const pcs = new Set(breaks.pcs), cells = new Set(breaks.cells);
    let last = frames[this.at], why = "steps";
    for (let i = 0; i < steps; i++) {
      if (this.at + 1 >= frames.length) { why = last.end || "end of the recording"; break; }
      const before = last.pc;
      last = frames[++this.at];
      let hit = false;
      for (const [a, values] of last.cells) values.forEach((v, j) => {
        if (cells.has(a + j) && this.memory[a + j] !== v) hit = true;
        this.memory[a + j] = v; changed.set(a + j, v);
      });
      output.push(...last.output);
      if (pcs.has(last.pc) && (!pcs.has(before) || last.pc <= before)) hit = true;
      if (hit) { why = "break"; break; }
    }
    if (this.at + 1 >= frames.length && why === "steps") why = last.end || "end of the recording";
    return { ...last, cells: [...changed].map(([a, v]) => [a, [v]]), output, why, full: false };
  }
}

const view = {
  source: null, info: null, memory: [], grid: null, running: false, steps: 0, pc: 0,
  breakPcs: new Set(), breakCells: new Set(), breakLines: new Set(), lineOf: [], file: null,
  marked: [], changed: [], rateLog: [], resumeOnInput: false, loop: Promise.resolve(),
};
window.loopmlpView = view;

// White for 0; red for positive values and blue for negative ones, deeper on a log scale
// up to K (most words are addresses); violet and teal beyond K.
function colour(v, words) {
  if (v === 0) return "#ffffff";
  const m = Math.abs(v), t = Math.min(1, Math.log2(m + 1) / Math.log2(words + 1));
  const hue = v > 0 ? (m < words ? 8 : 300) : (m < words ? 215 : 175);
  return `hsl(${hue} 70% ${m < words ? 94 - 44 * t : 55}%)`;
}

function setStatus(text) { $("status").textContent = text; }

async function start() {
  const data = window.LOOPMLP_REPLAY;
  view.source = data ? new ReplaySource(data) : new LiveSource();
  if (!view.source.live) {
    for (const id of ["open-label", "download", "input-row"]) $(id).style.display = "none";
    $("show-layers").disabled = true;
    $("layers").textContent = "the layers are shown in the live view (loopmlp view)";
  }
  await load();
  $("step").onclick = () => stepOnce();
  $("run").onclick = () => run();
  $("pause").onclick = () => pause();
  $("reset").onclick = () => reset();
  $("input-send").onclick = () => sendInput(false);
  $("input-eof").onclick = () => sendInput(true);
  $("input-text").onkeydown = (e) => { if (e.key === "Enter") sendInput(false); };
  $("show-layers").onchange = () => refreshLayers();
  $("files").onchange = () => { view.file = $("files").value; drawSource(); highlight(); };
  $("examples").onchange = async () => {
    const name = $("examples").value;
    if (!name) return;
    pause(); await view.loop; setStatus(`compiling ${name}…`);
    try { await view.source.open(name); await load(); } catch (err) { setStatus(err.message); }
    $("examples").value = "";
  };
}

async function load() {
  view.info = await view.source.describe();
  const info = view.info;
  $("name").textContent = info.name;
  $("machine").textContent = info.machine.text;
  document.title = `loopmlp view: ${info.name}`;
  const examples = $("examples");
  examples.length = 1;
  for (const name of info.examples || []) examples.add(new Option(name, name));
  view.lineOf = info.source_map;
  const files = Object.keys(info.sources);
  $("files").replaceChildren(...files.map((f) => new Option(f, f)));
  $("files").style.display = files.length > 1 ? "" : "none";
  view.file = files[0] || null;
  view.breakPcs.clear(); view.breakCells.clear(); view.breakLines.clear();
  drawSource();
  buildGrid(info.machine.words);
  $("console").textContent = "";
  apply(await view.source.frame());
  setStatus(info.given_input ? "ready (input given on the command line)" : "ready");
}

function drawSource() {
  const box = $("source");
  const lines = view.file ? view.info.sources[view.file] : null;
  if (!lines) { box.textContent = "no source map: the memory grid shows the program"; return; }
  box.replaceChildren(...lines.map((text, i) => {
    const div = document.createElement("div");
    div.className = "line"; div.dataset.line = i + 1; div.textContent = text || " ";
    if (view.breakLines.has(`${view.file}:${i + 1}`)) div.classList.add("bp");
    div.onclick = () => toggleLine(i + 1, div);
    return div;
  }));
}

function toggleLine(line, div) {
  const key = `${view.file}:${line}`;
  const on = !view.breakLines.has(key);
  on ? view.breakLines.add(key) : view.breakLines.delete(key);
  div.classList.toggle("bp", on);
}

const MARKS = ["ins", "rd", "wr", "chg", "bp"];

// Up to 1024 words: one element per cell (values written in them while they fit).
class CellGrid {
  constructor(box, words) {
    const cols = words <= 64 ? 8 : words <= 256 ? 16 : 32;
    const size = words <= 256 ? 34 : 25;
    box.style.setProperty("--cols", cols);
    box.style.setProperty("--cell", `${size}px`);
    this.showText = true;
    this.cells = new Array(words);
    const fragment = document.createDocumentFragment();
    for (let a = 0; a < words; a++) {
      const cell = document.createElement("div");
      cell.className = "cell"; cell.dataset.a = a; cell.dataset.v = 0;
      this.cells[a] = cell; fragment.appendChild(cell);
    }
    box.replaceChildren(fragment);
  }
  address(event) { const a = event.target.dataset?.a; return a === undefined ? null : Number(a); }
  set(a, v, fill) {
    const cell = this.cells[a];
    cell.dataset.v = v; cell.style.background = fill; cell.title = `${a}: ${v}`;
    if (this.showText) cell.textContent = v;
  }
  mark(a, cls, on) { this.cells[a]?.classList.toggle(cls, on); }
}

// Larger memories: one canvas, a few pixels per cell, redrawn cell by cell.
class CanvasGrid {
  constructor(box, words) {
    [this.cols, this.size] = words <= 4096 ? [64, 10] : [128, 6];
    this.fill = new Array(words).fill("#ffffff");
    this.flags = new Array(words).fill(0);
    const canvas = document.createElement("canvas");
    canvas.width = this.cols * this.size; canvas.height = Math.ceil(words / this.cols) * this.size;
    canvas.className = "memory-canvas";
    box.style.setProperty("--cols", 1);
    box.style.setProperty("--cell", "auto");
    box.replaceChildren(canvas);
    this.canvas = canvas; this.ctx = canvas.getContext("2d");
    this.ctx.fillStyle = "#ffffff"; this.ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  address(event) {
    const rect = this.canvas.getBoundingClientRect();
    const x = Math.floor((event.clientX - rect.left) / this.size), y = Math.floor((event.clientY - rect.top) / this.size);
    const a = y * this.cols + x;
    return x >= 0 && x < this.cols && a >= 0 && a < this.fill.length ? a : null;
  }
  set(a, _v, fill) { this.fill[a] = fill; this.draw(a); }
  mark(a, cls, on) {
    if (a === undefined || a >= this.fill.length) return;
    const bit = 1 << MARKS.indexOf(cls);
    this.flags[a] = on ? this.flags[a] | bit : this.flags[a] & ~bit;
    this.draw(a);
  }
  draw(a) {
    const ctx = this.ctx, s = this.size, x = (a % this.cols) * s, y = Math.floor(a / this.cols) * s;
    const f = this.flags[a];
    ctx.fillStyle = f & 8 ? "#ffd400" : this.fill[a];
    ctx.fillRect(x, y, s, s);
    const edge = f & 1 ? "#f0a000" : f & 4 ? "#7b3fbf" : f & 2 ? "#2a9d3a" : f & 16 ? "#d33" : null;
    if (edge) { ctx.strokeStyle = edge; ctx.lineWidth = 2; ctx.strokeRect(x + 1, y + 1, s - 2, s - 2); }
  }
}

function buildGrid(words) {
  const box = $("mem");
  view.grid = words <= 1024 ? new CellGrid(box, words) : new CanvasGrid(box, words);
  view.memory = new Array(words).fill(0);
  box.onclick = (e) => {
    const n = view.grid.address(e);
    if (n === null) return;
    const on = !view.breakCells.has(n);
    on ? view.breakCells.add(n) : view.breakCells.delete(n);
    view.grid.mark(n, "bp", on);
  };
  box.onmousemove = (e) => {
    const a = view.grid.address(e);
    if (a === null) return;
    const where = view.lineOf[a];
    $("cell-info").textContent = `address ${a}: ${view.memory[a]}` +
      (where ? `  (from ${where[0]}:${where[1]}${where[2] ? " in " + where[2] : ""})` : "");
  };
  view.marked = []; view.changed = [];
}

function setCell(a, v) {
  view.memory[a] = v;
  view.grid.set(a, v, colour(v, view.info.machine.words));
}

function apply(frame) {
  for (const a of view.changed) view.grid.mark(a, "chg", false);
  view.changed = [];
  for (const [start, values] of frame.cells) {
    values.forEach((v, j) => {
      const a = start + j;
      if (!frame.full && view.memory[a] !== v) view.changed.push(a);
      setCell(a, v);
    });
  }
  if (!frame.full) for (const a of view.changed) view.grid.mark(a, "chg", true);
  for (const [cls, list] of view.marked) for (const a of list) view.grid.mark(a, cls, false);
  view.marked = [["ins", frame.named.instruction], ["rd", frame.named.reads], ["wr", frame.named.writes]];
  for (const [cls, list] of view.marked) for (const a of list) view.grid.mark(a, cls, true);
  if (frame.full) $("console").textContent = "";
  if (frame.output.length) {
    const text = new TextDecoder().decode(new Uint8Array(frame.output));
    $("console").textContent += text;
    $("console").scrollTop = $("console").scrollHeight;
  }
  view.steps = frame.steps; view.pc = frame.pc;
  $("steps").textContent = frame.steps;
  $("pc").textContent = frame.pc;
  $("reg-out_byte").textContent = frame.registers.out_byte;
  $("reg-in_byte").textContent = frame.registers.in_byte;
  $("flags").replaceChildren(...STATUS_NAMES.map((name) => {
    const span = document.createElement("span");
    span.textContent = name; span.id = `flag-${name}`;
    if (frame.status[name]) span.className = "on";
    return span;
  }));
  $("input-state").textContent = frame.waiting ? "the program waits for input" :
    frame.pending ? `${frame.pending} bytes queued` : frame.eof ? "input ended" : "";
  const end = frame.end ? (frame.reason ? `fault: ${frame.reason}` : frame.end) : "";
  if (end) setStatus(`${end} after ${frame.steps} steps`);
  highlight();
  const now = performance.now();
  view.rateLog.push([now, frame.steps]);
  while (view.rateLog.length > 2 && now - view.rateLog[0][0] > 2000) view.rateLog.shift();
  const [t0, s0] = view.rateLog[0];
  $("rate").textContent = now > t0 ? Math.round((frame.steps - s0) / ((now - t0) / 1000)) : 0;
  if (!view.running) refreshLayers();
}

function highlight() {
  const where = view.lineOf[view.pc];
  $("where").textContent = where ? `${where[0]}:${where[1]}${where[2] ? " in " + where[2] : ""}` : "";
  const box = $("source");
  box.querySelector(".line.current")?.classList.remove("current");
  if (!where) return;
  if (where[0] !== view.file && view.info.sources[where[0]]) {
    view.file = where[0]; $("files").value = view.file; drawSource();
  }
  const line = box.querySelector(`.line[data-line="${where[1]}"]`);
  if (line && where[0] === view.file) {
    line.classList.add("current");
    const top = line.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 20) box.scrollTop = top - box.clientHeight / 3;
  }
}

function breaks() {
  const pcs = new Set(view.breakCells);
  if (view.breakLines.size) view.lineOf.forEach((where, a) => {
    if (where && view.breakLines.has(`${where[0]}:${where[1]}`)) pcs.add(a);
  });
  return { pcs: [...pcs], cells: [...view.breakCells] };
}

function controls(running) {
  view.running = running;
  $("run").disabled = running; $("step").disabled = running; $("pause").disabled = !running;
}

function stopWhy(why) {
  if (why === "break") setStatus(`stopped at a breakpoint, pc ${view.pc}`);
  else if (why === "input") setStatus("waiting for input: type it below");
}

function stepOnce() {
  if (view.running) return view.loop;
  view.loop = stepLoop();
  return view.loop;
}

async function stepLoop() {
  controls(true);
  try {
    const frame = await view.source.advance(1, 5, { pcs: [], cells: [] });
    view.running = false; apply(frame);
    if (!frame.end) { setStatus(frame.why === "input" ? "" : `stepped to pc ${frame.pc}`); stopWhy(frame.why); }
  } catch (err) { setStatus(err.message); }
  controls(false);
}

// The run in flight (if any): reset and open wait for it, so no step lands after them.
function run() {
  if (view.running) return view.loop;
  view.loop = runLoop();
  return view.loop;
}

async function runLoop() {
  controls(true); setStatus("running");
  view.rateLog = [];
  const points = breaks();
  try {
    while (view.running) {
      const speed = Number($("speed").value);
      const steps = speed === 0 ? 1 << 20 : Math.max(1, Math.round(speed / 20));
      const t0 = performance.now();
      const frame = await view.source.advance(steps, 0.1, points);
      apply(frame);
      if (frame.why !== "steps" && frame.why !== "time") {
        view.resumeOnInput = frame.why === "input";
        controls(false); refreshLayers();
        if (!frame.end) stopWhy(frame.why);
        else if (!view.source.live) setStatus(`${frame.why} after ${frame.steps} steps`);
        return;
      }
      const wait = speed === 0 ? 0 : steps * 1000 / speed - (performance.now() - t0);
      await new Promise((done) => setTimeout(done, Math.max(0, wait)));
    }
    setStatus(`paused at pc ${view.pc}`);
  } catch (err) { setStatus(err.message); controls(false); }
}

function pause() { if (view.running) controls(false); view.resumeOnInput = false; }

async function reset() {
  pause();
  await view.loop;
  view.rateLog = [];
  apply(await view.source.reset());
  setStatus("reset");
}

async function sendInput(eof) {
  const text = $("input-text").value;
  $("input-text").value = "";
  try { apply(await view.source.input(eof ? text : text + "\n", eof)); } catch (err) { setStatus(err.message); return; }
  if (view.resumeOnInput) run();
}

let layersWanted = 0;
async function refreshLayers() {
  if (!$("show-layers").checked || !view.source.live) { if (view.source.live) $("layers").replaceChildren(); return; }
  const ticket = ++layersWanted;
  await new Promise((done) => setTimeout(done, 150));
  if (ticket !== layersWanted || view.running) return;
  const data = await view.source.layers();
  if (ticket !== layersWanted) return;
  $("layers").replaceChildren(...data.layers.map((layer) => {
    const row = document.createElement("div");
    row.className = "strip";
    const label = document.createElement("span");
    label.className = `stage-${layer.stage}`; label.textContent = layer.name;
    const canvas = document.createElement("canvas");
    canvas.width = layer.bins.length; canvas.height = 1;
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(layer.bins.length, 1);
    layer.bins.forEach((share, i) => {
      // any active neuron in a bucket shows, however sparse the layer
      const g = share > 0 ? Math.round(255 * (0.75 - 0.75 * share)) : 255;
      img.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(img, 0, 0);
    const count = document.createElement("span");
    count.textContent = `${layer.active}/${layer.width}`;
    row.append(label, canvas, count);
    return row;
  }));
}

start();
