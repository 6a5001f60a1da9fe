// Charts: writes per minute and failure rate per TSP, over the last hour (a point a minute) and the
// last day (a point an hour), drawn; a one-line summary per TSP beside them.
import { api, session } from '../api.js';
import { colourOf, lineChart } from '../draw.js';
import { h, heading, problem } from '../dom.js';
import { pathsFor } from '../paths.js';

const percent = (v) => `${Math.round(v * 100)} %`;

function windowCharts(stats) {
  const perMinute = stats.bucket_seconds / 60;
  const label = (iso) => new Date(iso).toLocaleString([], stats.window === 'hour' ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit' });
  const name = stats.window === 'hour' ? 'last hour' : 'last day';
  if (!stats.series.length) return h('p', { class: 'muted' }, `No writes in the ${name}.`);
  const writes = stats.series.map((x) => ({ name: x.source_name, labels: x.buckets.map((b) => label(b.start)), values: x.buckets.map((b) => b.writes / perMinute) }));
  const failures = stats.series.map((x) => ({ name: x.source_name, labels: x.buckets.map((b) => label(b.start)), values: x.buckets.map((b) => (b.failed + b.succeeded ? b.failed / (b.failed + b.succeeded) : null)) }));
  const summary = stats.series.map((x) => `${x.source_name}: ${x.writes} writes (${x.writes_per_minute.toFixed(2)}/min), ${x.failure_rate === null ? 'none ended' : `${percent(x.failure_rate)} failed`}`).join('; ');
  return h(
    'div',
    {},
    h('ul', { class: 'legend' }, stats.series.map((x, i) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colourOf(i);
      return h('li', {}, swatch, `${x.source_name}: ${x.writes} writes, ${x.failure_rate === null ? 'none ended' : `${percent(x.failure_rate)} failed`}`);
    })),
    h(
      'div',
      { class: 'two' },
      h('figure', {}, lineChart({ title: `Writes per minute, ${name}`, description: summary, series: writes, format: (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(2)) }), h('figcaption', {}, `Writes per minute, ${name}`)),
      h('figure', {}, lineChart({ title: `Failure rate, ${name}`, description: summary, series: failures, format: percent, max: 1 }), h('figcaption', {}, `Failure rate (failed of ended writes), ${name}`)),
    ),
  );
}

export function chartsView() {
  const paths = pathsFor(session.get().mode);
  const hour = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const day = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const load = async () => {
    for (const [window, box] of [['hour', hour], ['day', day]]) {
      try {
        box.replaceChildren(windowCharts(await api('GET', paths.stats(), { params: { window } })));
      } catch (err) {
        box.replaceChildren(h('p', { class: 'error' }, problem(err)));
      }
    }
  };
  load();
  const timer = setInterval(load, 30_000);
  return {
    element: h('section', {}, heading('Charts'), h('h2', {}, 'Last hour'), hour, h('h2', {}, 'Last day'), day),
    title: 'Charts',
    leave: () => clearInterval(timer),
  };
}
