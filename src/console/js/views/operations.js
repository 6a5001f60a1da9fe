// Operations: every filter the list route declares (read off the OpenAPI document), a page of
// results, and live updates from the feed: a changed row updates in place, a new one that matches
// the filters appears at the end (pages run oldest first); a change the page cannot place (a filter the
// feed's fields cannot answer, an older operation that may now belong here) marks the list out of date.
import { api, followChanges, openapi, session } from '../api.js';
import { matchChange, placeChange } from '../live-match.js';
import { pathsFor } from '../paths.js';
import { announce, badge, field, h, heading, problem, table, when } from '../dom.js';

const SKIP = new Set(['cursor']);

const labelOf = (name) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function control(param, value) {
  const schema = param.schema ?? {};
  const attrs = { name: param.name };
  if (schema.enum) {
    return h('select', attrs, h('option', { value: '' }, 'any'), schema.enum.map((v) => h('option', { value: v, selected: v === value }, v)));
  }
  if (schema.format === 'date-time') {
    // datetime-local is the browser's own picker; the value is sent as an instant (UTC).
    const local = value ? new Date(Date.parse(value) - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '';
    return h('input', { ...attrs, type: 'datetime-local', value: local, dataset: { kind: 'date-time' } });
  }
  if (schema.type === 'integer') return h('input', { ...attrs, type: 'number', min: schema.minimum, max: schema.maximum, placeholder: String(schema.default ?? ''), value: value ?? '' });
  if (schema.type === 'array') return h('input', { ...attrs, value: value ?? '', placeholder: 'comma-separated', dataset: { kind: 'list' }, spellcheck: 'false' });
  return h('input', { ...attrs, value: value ?? '', spellcheck: 'false' });
}

function readForm(form) {
  const q = new URLSearchParams();
  for (const el of form.elements) {
    if (!el.name || !el.value) continue;
    if (el.dataset.kind === 'date-time') q.set(el.name, new Date(el.value).toISOString());
    else q.set(el.name, el.value.trim());
  }
  return q;
}

function paramsOf(filters) {
  const params = {};
  for (const [k, v] of filters) params[k] = /_ids$|_refs$/.test(k) ? v.split(',').map((x) => x.trim()).filter(Boolean) : v;
  return params;
}

export function operationsView(filters) {
  const s = session.get();
  const paths = pathsFor(s.mode);
  const form = h('form', { class: 'filters', 'aria-label': 'Filters' });
  const live = h('span', { class: 'live', 'aria-live': 'polite' }, 'Live updates: connecting…');
  const results = h('div', { class: 'results' }, h('p', { class: 'muted' }, 'Loading…'));
  const more = h('div', { class: 'pager' });
  const outdated = h('div', { class: 'outdated', role: 'status' });
  const rows = new Map();
  let items = [];
  let onLastPage = false;
  let loadedAt = Date.now();
  let shownCursor;

  const row = (op) =>
    h(
      'tr',
      { dataset: { id: op.id } },
      h('td', {}, h('a', { href: `#/operations/${op.connection_id}/${op.id}`, 'aria-label': `Operation ${op.id.slice(0, 8)}: ${op.operation_type} ${op.resource}, ${op.status}` }, op.id.slice(0, 8))),
      h('td', {}, badge(op.status)),
      h('td', {}, `${op.operation_type} ${op.resource}`),
      h('td', {}, op.source_name),
      s.mode === 'operator' ? h('td', { class: 'mono' }, (op.partner_id ?? '').slice(0, 8)) : null,
      h('td', {}, op.fleet_ref ?? '—'),
      h('td', { class: 'num' }, op.attempts),
      h('td', {}, when(op.created_at)),
      h('td', {}, when(op.updated_at)),
    );
  const headers = ['Operation', 'Status', 'Write', 'TSP', ...(s.mode === 'operator' ? ['Partner'] : []), 'Fleet', 'Attempts', 'Created', 'Updated'];
  const markOutdated = () => {
    if (outdated.firstChild) return;
    outdated.append(h('p', { class: 'muted' }, 'This list may be out of date — ', h('button', { type: 'button', class: 'secondary', onclick: () => load(shownCursor) }, 'refresh')));
  };
  const draw = (page) => {
    rows.clear();
    outdated.replaceChildren();
    const body = items.map((op) => {
      const tr = row(op);
      rows.set(op.id, tr);
      return tr;
    });
    results.replaceChildren(
      h('p', { class: 'muted' }, `${page.total} operation${page.total === 1 ? '' : 's'} match.`),
      table('Resource operations', headers, body),
    );
    more.replaceChildren();
    if (page.next_page) more.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(page.next_page) }, 'Next page'));
  };
  const load = async (cursor) => {
    try {
      const asked = Date.now();
      const page = await api('GET', paths.operations(), { params: { ...paramsOf(filters), cursor } });
      items = page.items;
      loadedAt = asked;
      shownCursor = cursor;
      onLastPage = !page.next_page;
      draw(page);
    } catch (err) {
      results.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load operations: ${problem(err)}`));
    }
  };

  openapi().then((doc) => {
    const declared = doc.paths?.[paths.operations()]?.get?.parameters ?? [];
    const fields = declared.filter((p) => p.in === 'query' && !SKIP.has(p.name)).map((p) => field(labelOf(p.name), control(p, filters.get(p.name) ?? undefined), p.description));
    form.replaceChildren(
      h('div', { class: 'filter-grid' }, fields),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply filters'), h('button', { type: 'button', class: 'secondary', onclick: () => (location.hash = '#/operations') }, 'Clear')),
    );
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = readForm(form).toString();
    location.hash = q ? `#/operations?${q}` : '#/operations';
  });
  load();

  const stop = followChanges(
    paths.events(paramsOf(filters)),
    (change) => {
      const known = rows.get(change.id);
      const current = items.find((op) => op.id === change.id);
      if (current) {
        Object.assign(current, change);
        const tr = row(current);
        tr.classList.add('flash');
        known?.replaceWith(tr);
        rows.set(change.id, tr);
        // Shown, it matched the filters the change cannot answer (fleet, TSP id), which a change keeps.
        if (matchChange(filters, change) === 'miss') tr.classList.add('stale');
        return;
      }
      const place = placeChange(filters, change, { items, onLastPage, loadedAt });
      if (place === 'stale') markOutdated();
      if (place !== 'append') return;
      items.push(change);
      const tr = row({ fleet_ref: null, ...change });
      tr.classList.add('flash');
      rows.set(change.id, tr);
      results.querySelector('tbody')?.append(tr);
      announce(`New operation: ${change.operation_type} ${change.resource} (${change.status}).`);
    },
    (state) => {
      live.textContent = { live: 'Live updates: on', reconnecting: 'Live updates: reconnecting…', off: 'Live updates: off' }[state];
      live.dataset.state = state;
    },
  );

  const element = h('section', {}, h('div', { class: 'title-row' }, heading('Operations'), live), h('details', { class: 'filter-box', open: [...filters.keys()].length > 0 || window.innerWidth > 700 }, h('summary', {}, 'Filters'), form), outdated, results, more);
  return { element, title: 'Operations', leave: stop };
}
