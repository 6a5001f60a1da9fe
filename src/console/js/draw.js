// The pictures: an operation's attempts on a time line, and line charts of a series per TSP. Drawn in
// SVG (scales with the page, readable by screen readers through its title and description).
import { s } from './dom.js';

// Drawn at about the size shown (the page's width, within bounds), so the text keeps a readable size
// from a phone to a wide screen instead of scaling with the picture.
const drawingWidth = (max) => Math.max(320, Math.min(max, (globalThis.innerWidth ?? max) - 64));

const COLOURS = ['#1f5fbf', '#b3261e', '#1e7a46', '#8a4b00', '#6b3fa0', '#00687a'];
export const colourOf = (i) => COLOURS[i % COLOURS.length];

/**
 * Attempts on a time line from the operation's creation to its last attempt: each a bar whose width
 * is its duration (at least a visible sliver) ending where its log was written, green for success,
 * red for failure, labelled with its number, status code and error class.
 */
export function attemptTimeline(op) {
  const width = drawingWidth(1100);
  const rowH = 46;
  const top = 26;
  const logs = op.logs ?? [];
  const height = top + Math.max(1, logs.length) * rowH + 24;
  const start = Date.parse(op.created_at);
  const ends = logs.map((l) => Date.parse(l.created_at));
  const end = Math.max(start + 1000, ...ends, op.next_attempt_at ? Date.parse(op.next_attempt_at) : 0);
  const left = 40;
  const right = width - 16;
  const x = (t) => left + ((t - start) / (end - start)) * (right - left);
  const summary = logs.length
    ? logs.map((l) => `attempt ${l.attempt}: ${l.status}${l.response_status_code ? ` ${l.response_status_code}` : ''}${l.error_class ? ` ${l.error_class}` : ''}, ${l.duration_ms} ms`).join('; ')
    : 'no attempt yet';
  const svg = s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, class: 'timeline', role: 'img', 'aria-labelledby': 'tl-title tl-desc' },
    s('title', { id: 'tl-title' }, 'Attempt timeline'),
    s('desc', { id: 'tl-desc' }, summary),
    s('line', { x1: left, x2: right, y1: top - 8, y2: top - 8, stroke: '#5f6b7a' }),
    s('text', { x: left, y: top - 13, class: 'axis' }, `created ${new Date(start).toLocaleTimeString()}`),
    s('text', { x: right, y: top - 13, class: 'axis', 'text-anchor': 'end' }, `+${((end - start) / 1000).toFixed(1)} s`),
  );
  logs.forEach((l, i) => {
    const y = top + i * rowH;
    const finish = Date.parse(l.created_at);
    const x2 = x(finish);
    const x1 = Math.min(x2 - 4, x(finish - l.duration_ms));
    const ok = l.status === 'success';
    svg.append(
      s('text', { x: 4, y: y + 18, class: 'label' }, `#${l.attempt}`),
      s('rect', { x: Math.max(left, x1), y: y + 4, width: Math.max(4, x2 - Math.max(left, x1)), height: 18, rx: 3, fill: ok ? '#1e7a46' : '#b3261e' },
        s('title', {}, `attempt ${l.attempt}: ${l.status}, ${l.duration_ms} ms`)),
      // Under its bar, moved left where the bar sits too near the right edge for it.
      s('text', { x: Math.max(left, Math.min(x1, right - 190)), y: y + 34, class: 'label' }, [l.response_status_code ?? 'no answer', l.error_class ?? (ok ? 'ok' : ''), `${l.duration_ms} ms`].filter(Boolean).join(' · ')),
    );
  });
  if (op.status === 'pending' && op.next_attempt_at) {
    const nx = x(Date.parse(op.next_attempt_at));
    svg.append(s('line', { x1: nx, x2: nx, y1: top - 4, y2: height - 18, stroke: '#1f5fbf', 'stroke-dasharray': '4 3' }), s('text', { x: Math.min(nx + 4, right - 90), y: height - 6, class: 'axis' }, 'next attempt'));
  }
  return svg;
}

/**
 * A line chart: one line per series over the same buckets, with a y axis from 0 to the largest value
 * (or `max`), tick labels, and the bucket times at both ends.
 */
export function lineChart({ title, description, series, format = (v) => String(v), max }) {
  // Two charts side by side on a wide screen, one per row on a phone.
  const width = drawingWidth(globalThis.innerWidth > 700 ? 640 : 700);
  const height = 220;
  const pad = { l: 52, r: 12, t: 12, b: 28 };
  const n = Math.max(...series.map((x) => x.values.length), 1);
  const top = max ?? Math.max(1e-9, ...series.flatMap((x) => x.values.filter((v) => v !== null)));
  const x = (i) => pad.l + (n === 1 ? 0 : (i / (n - 1)) * (width - pad.l - pad.r));
  const y = (v) => height - pad.b - (v / top) * (height - pad.t - pad.b);
  const id = `c${Math.random().toString(36).slice(2, 8)}`;
  const svg = s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, title),
    s('desc', { id: `${id}-d` }, description),
  );
  for (const f of [0, 0.5, 1]) {
    svg.append(
      s('line', { x1: pad.l, x2: width - pad.r, y1: y(top * f), y2: y(top * f), stroke: '#d5dbe3' }),
      s('text', { x: pad.l - 6, y: y(top * f) + 4, class: 'axis', 'text-anchor': 'end' }, format(top * f)),
    );
  }
  const labels = series[0]?.labels ?? [];
  if (labels.length) {
    svg.append(
      s('text', { x: pad.l, y: height - 8, class: 'axis' }, labels[0]),
      s('text', { x: width - pad.r, y: height - 8, class: 'axis', 'text-anchor': 'end' }, labels.at(-1)),
    );
  }
  series.forEach((line, i) => {
    // A bucket with nothing to measure (no ended write for a failure rate) breaks the line.
    let d = '';
    line.values.forEach((v, j) => {
      if (v === null) return;
      d += `${d && line.values[j - 1] !== null ? 'L' : 'M'}${x(j).toFixed(1)},${y(v).toFixed(1)}`;
    });
    if (d) svg.append(s('path', { d, fill: 'none', stroke: colourOf(i), 'stroke-width': 2, 'stroke-linejoin': 'round' }));
    line.values.forEach((v, j) => {
      if (v !== null) svg.append(s('circle', { cx: x(j), cy: y(v), r: 2.5, fill: colourOf(i) }, s('title', {}, `${line.name} ${line.labels?.[j] ?? ''}: ${format(v)}`)));
    });
  });
  return svg;
}
