// The microstrax viewer: runs, their peaks (area vs width), a peak's waveform and hit pattern,
// the events table and the records of a time window, all from this server's JSON routes. The
// figures come from the drawing modules `straxts plot` uses (served from the build).

import uPlot from '/vendor/uPlot.esm.js';
import { peakScatter, peakWaveform, recordTraces } from '/js/web/draw/figures.js';
import { uplotLayout } from '/js/web/draw/uplot-data.js';
import { hitPatternSvg } from '/js/web/draw/pmt-array.js';
import { figureSvg } from '/js/web/draw/svg.js';
import { N_TOP_PMTS } from '/js/config/pmt-positions.js';

const $ = (id) => document.getElementById(id);
// A token is taken from the page's fragment (#token=...), which browsers never send to servers.
const token = new URLSearchParams(location.hash.slice(1)).get('token');
const state = { run: null, runStart: 0n, types: [], peaks: [], peakPlot: null, waveformPlot: null };
window.microstraxViewer = state;

/** JSON with integers beyond 2^53 (ns times) kept exact as BigInt. */
function parseExact(text) {
  return JSON.parse(text, (_key, value, context) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && /^-?\d+$/.test(context?.source ?? '')
      ? BigInt(context.source)
      : value,
  );
}

async function api(path, params = {}) {
  const url = `${path}?${new URLSearchParams(params)}`;
  const res = await fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const body = parseExact(await res.text());
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

function status(text, kind = 'ok') {
  $('status').textContent = text;
  $('status').dataset.state = kind;
}

const big = (v) => (typeof v === 'bigint' ? v : BigInt(v));
const sinceStart = (t) => Number(big(t) - state.runStart) / 1e9;

function plotOptions(layout, el, extra = {}) {
  return {
    width: el.clientWidth || 600,
    height: 360,
    scales: layout.scales,
    axes: layout.axes.map((a, i) => (i === 1 ? { ...a, size: 70 } : a)),
    series: [{}, ...layout.series],
    legend: { show: true },
    ...extra,
  };
}

function showPeaks() {
  const rows = state.peaks;
  const fig = peakScatter(
    {
      width: rows.map((r) => r.range_50p_area ?? 0),
      area: rows.map((r) => r.area ?? 0),
      type: rows.map((r) => r.type ?? 0),
    },
    `peaks of run ${state.run}`,
  );
  const layout = uplotLayout(fig);
  const el = $('peaks');
  state.peakPlot?.destroy();
  el.replaceChildren();
  const plot = new uPlot(
    plotOptions(layout, el, { cursor: { drag: { x: false, y: false } } }),
    layout.data,
    el,
  );
  plot.over.addEventListener('click', (e) => {
    const i = nearestPoint(plot, e.offsetX, e.offsetY);
    if (i !== null) selectPeak(layout.origin[i][1]).catch(fail);
  });
  state.peakPlot = plot;
  state.peakOrigin = layout.origin;
  el.dataset.points = String(
    layout.data.slice(1).reduce((n, s) => n + s.filter((v) => v !== null).length, 0),
  );
}

/** Index (into the shared x array) of the point drawn nearest to a click, within 12 px. */
function nearestPoint(plot, cx, cy) {
  let best = null;
  let bestD = 144;
  const xs = plot.data[0];
  for (let s = 1; s < plot.data.length; s++) {
    const ys = plot.data[s];
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === null) continue;
      const dx = plot.valToPos(xs[i], 'x') - cx;
      const dy = plot.valToPos(ys[i], 'y') - cy;
      if (dx * dx + dy * dy < bestD) [best, bestD] = [i, dx * dx + dy * dy];
    }
  }
  return best;
}

async function selectPeak(row) {
  const pb = state.peaks[row];
  status(`loading peak ${row}…`, 'loading');
  const pad = 1e-6;
  const found = await api('/get_data', {
    run_id: state.run,
    target: 'peaks',
    start: sinceStart(pb.time) - pad,
    end: sinceStart(pb.endtime) + pad,
    max_n: 50,
  });
  const peak = found.find((p) => big(p.time) === big(pb.time));
  if (!peak) throw new Error(`peak at ${pb.time} not found in peaks`);
  const t = sinceStart(peak.time);
  $('peak-note').textContent =
    `#${row}: ${peak.area.toPrecision(4)} PE, type ${peak.type}, ${t.toFixed(6)} s`;
  const fig = peakWaveform(peak, `peak at ${t.toFixed(6)} s`);
  const layout = uplotLayout(fig);
  const el = $('waveform');
  state.waveformPlot?.destroy();
  el.replaceChildren();
  state.waveformPlot = new uPlot(plotOptions(layout, el, { height: 260 }), layout.data, el);
  state.selected = { row, time: String(peak.time), data: peak.data.slice(0, peak.length) };
  el.dataset.peakTime = String(peak.time);
  $('hitpattern').innerHTML = hitPatternSvg(peak.area_per_channel, 'area per PMT', el.clientWidth || 600);
  $('win-start').value = (t - 1e-6).toFixed(7);
  $('win-end').value = (sinceStart(big(peak.time) + BigInt(peak.length * peak.dt)) + 1e-6).toFixed(7);
  await showRecords();
  status(`run ${state.run}: peak ${row} selected`, 'ready');
}

const EVENT_COLUMNS = ['s1_area', 's2_area', 'cs1', 'cs2', 'x', 'y', 'z', 's2_x', 's2_y', 'drift_time'];

async function showEvents() {
  const target = ['event_info', 'event_basics'].find((t) => state.types.includes(t));
  const table = $('events');
  if (!target) {
    $('events-note').textContent = 'no event_info or event_basics stored';
    table.replaceChildren();
    return;
  }
  const rows = await api('/get_data', { run_id: state.run, target, max_n: 1000 });
  const cols = EVENT_COLUMNS.filter((c) => rows.length && c in rows[0]);
  $('events-note').textContent = `${rows.length} from ${target}`;
  const head = `<tr><th>#</th><th>time [s]</th>${cols.map((c) => `<th>${c}</th>`).join('')}</tr>`;
  const num = (v) => (v === null ? '–' : typeof v === 'number' ? v.toPrecision(5) : String(v));
  const body = rows
    .map(
      (r, i) =>
        `<tr><td>${i}</td><td>${sinceStart(r.time).toFixed(6)}</td>${cols.map((c) => `<td>${num(r[c])}</td>`).join('')}</tr>`,
    )
    .join('');
  table.innerHTML = head + body;
}

async function showRecords() {
  const target = ['records', 'raw_records'].find((t) => state.types.includes(t));
  if (!target) {
    $('records-note').textContent = 'no records stored';
    return;
  }
  const start = Number($('win-start').value);
  const end = Number($('win-end').value);
  const rows = await api('/get_data', { run_id: state.run, target, start, end, max_n: 2000 });
  const t0 = state.runStart + BigInt(Math.trunc(start * 1e9));
  const traces = rows.map((r) => ({ ...r, time: Number(big(r.time) - t0) }));
  $('records-note').textContent = `${rows.length} ${target}${rows.length === 2000 ? ' (first 2000)' : ''}`;
  const fig = recordTraces(traces, N_TOP_PMTS, `${target} from ${start} s`);
  $('records').innerHTML = figureSvg(fig, { width: $('records').clientWidth || 600, height: 420 });
}

async function loadRun(run) {
  status(`loading run ${run}…`, 'loading');
  const info = await api(`/run/${encodeURIComponent(run)}/types`);
  state.run = run;
  state.runStart = big(info.run_start);
  state.types = info.types.map((t) => t.data_type);
  if (!state.types.includes('peak_basics')) throw new Error(`run ${run} has no peak_basics stored`);
  state.peaks = await api('/get_data', { run_id: run, target: 'peak_basics', max_n: 100000 });
  $('peaks-note').textContent = `${state.peaks.length} from peak_basics`;
  showPeaks();
  await showEvents();
  status(`run ${run}: ${state.peaks.length} peaks`, 'ready');
}

async function main() {
  const runs = await api('/runs');
  const select = $('run');
  select.replaceChildren(
    ...runs.map((r) => {
      const o = document.createElement('option');
      o.value = o.textContent = r.run_id;
      return o;
    }),
  );
  select.addEventListener('change', () => loadRun(select.value).catch(fail));
  $('window').addEventListener('submit', (e) => {
    e.preventDefault();
    showRecords().catch(fail);
  });
  if (!runs.length) return status('no runs stored', 'ready');
  await loadRun(runs[0].run_id);
}

function fail(e) {
  status(`error: ${e.message}`, 'error');
}

main().catch(fail);
