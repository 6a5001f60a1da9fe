// Connections: each with its health (status, why it failed), its rate-limit state (attempts this
// minute against the limit, the next slot, any 429 pause) and, per TSP, the capability matrix.
import { api, session } from '../api.js';
import { badge, h, heading, problem, table, when } from '../dom.js';
import { pathsFor } from '../paths.js';

const CAPABILITY_WORDS = { implemented: 'yes', not_supported: 'not supported', not_implemented: 'not yet' };

function rateCell(limits) {
  const def = limits.classes[0];
  const used = limits.attempts_last_minute;
  const meter = h('meter', { min: 0, max: def.limit_per_minute, value: Math.min(used, def.limit_per_minute), 'aria-label': 'Attempts this minute against the limit' });
  return h(
    'div',
    { class: 'rate' },
    h('div', {}, meter, ` ${used} / ${def.limit_per_minute} per min`),
    limits.classes.map((c) =>
      h('div', { class: c.paused ? 'paused' : 'muted' }, `${c.rate_class}: ${c.limit_per_minute}/min`, c.paused ? ` · paused until ${when(c.paused_until)}` : c.next_slot_at ? ` · next slot ${when(c.next_slot_at)}` : ''),
    ),
  );
}

function matrix(tsp) {
  const rows = Object.entries(tsp.resources)
    .filter(([, ops]) => Object.values(ops).some((c) => c !== 'not_implemented'))
    .map(([resource, ops]) => h('tr', {}, h('th', { scope: 'row' }, resource), ['create', 'update'].map((op) => h('td', { class: `cap cap-${ops[op]}` }, CAPABILITY_WORDS[ops[op]] ?? ops[op]))));
  return h('section', { class: 'matrix' }, h('h3', {}, `${tsp.name}: what fleetgate writes`), table(`${tsp.name} capabilities`, ['Resource', 'Create', 'Update'], rows), h('p', { class: 'muted' }, `Other resources: not yet written to ${tsp.name}.`));
}

export function connectionsView() {
  const paths = pathsFor(session.get().mode);
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const load = async () => {
    try {
      const [page, tsps] = await Promise.all([api('GET', paths.connections(), { params: { size: 100 } }), api('GET', '/v2/integrations/tsps', { params: { size: 100 } })]);
      const rates = await Promise.all(page.items.map((c) => api('GET', paths.rateLimits(c.id)).catch((err) => ({ error: problem(err) }))));
      const rows = page.items.map((c, i) =>
        h(
          'tr',
          {},
          h('td', {}, c.description ?? c.id.slice(0, 8), h('div', { class: 'mono muted' }, c.id)),
          h('td', {}, c.source_name),
          h('td', {}, badge(c.status), c.status_reason ? h('div', { class: 'details' }, c.status_reason) : null, c.failed_at ? h('div', { class: 'muted' }, `since ${when(c.failed_at)}`) : null),
          h('td', {}, c.fleet_ref ?? '—'),
          h('td', {}, rates[i].error ? h('span', { class: 'error' }, rates[i].error) : rateCell(rates[i])),
          h('td', {}, h('a', { href: `#/operations?connection_id=${c.id}` }, 'Operations')),
        ),
      );
      const used = new Set(page.items.map((c) => c.source_name));
      body.replaceChildren(
        h('p', { class: 'muted' }, `${page.total} connection${page.total === 1 ? '' : 's'}.`),
        table('Connections', ['Connection', 'TSP', 'Health', 'Fleet', 'Rate limit', ''], rows),
        h('h2', {}, 'Capability matrix'),
        h('div', { class: 'matrices' }, tsps.items.filter((t) => used.has(t.source_name) || used.size === 0).map(matrix)),
      );
    } catch (err) {
      body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load connections: ${problem(err)}`));
    }
  };
  load();
  const timer = setInterval(load, 10_000);
  const element = h('section', {}, h('div', { class: 'title-row' }, heading('Connections'), h('span', { class: 'muted' }, 'Refreshed every 10 s')), body);
  return { element, title: 'Connections', leave: () => clearInterval(timer) };
}
