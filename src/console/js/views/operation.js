// One operation: its status with retry / cancel, the attempts drawn on a time line with each
// attempt's status code, error class and details, duration and response headers, the payload, the
// native request sent to the TSP, and the fields dropped or ignored. Live: reloads when it changes.
import { ApiError, api, followChanges, session } from '../api.js';
import { attemptTimeline } from '../draw.js';
import { announce, badge, h, heading, json, problem, table, when } from '../dom.js';
import { pathsFor } from '../paths.js';

export function operationView(ref) {
  const paths = pathsFor(session.get().mode);
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const message = h('p', { class: 'notice', role: 'status' });
  let op;

  const act = async (verb, params) => {
    message.textContent = '';
    try {
      op = await api('POST', `${paths.operation(ref)}/${verb}`, { params });
      announce(verb === 'retry' ? 'Retry queued.' : 'Operation cancelled.');
      draw();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body?.newer_operation_id) {
        message.replaceChildren(
          `A later write to this record succeeded (operation ${err.body.newer_operation_id.slice(0, 8)}): a retry would undo it. `,
          h('button', { type: 'button', class: 'danger', onclick: () => act('retry', { force: 'true' }) }, 'Retry anyway'),
        );
      } else message.textContent = `Could not ${verb}: ${problem(err)}`;
    }
  };

  const attemptRows = () =>
    (op.logs ?? []).map((l) =>
      h(
        'tr',
        {},
        h('td', { class: 'num' }, l.attempt),
        h('td', {}, badge(l.status)),
        h('td', { class: 'num' }, l.response_status_code ?? '—'),
        h('td', {}, l.error_class ?? '—', l.error_type ? h('small', { class: 'muted' }, ` (${l.error_type})`) : null),
        h('td', { class: 'details' }, l.error_details ?? '—'),
        h('td', { class: 'num' }, `${l.duration_ms} ms`),
        h('td', {}, when(l.created_at)),
        h('td', {}, Object.keys(l.response_headers ?? {}).length ? h('details', {}, h('summary', {}, `${Object.keys(l.response_headers).length} headers`), json(l.response_headers)) : '—'),
      ),
    );

  const nativeBox = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const loadNative = async () => {
    try {
      const native = await api('GET', paths.nativeRequest(op));
      nativeBox.replaceChildren(
        native.ok ? json(native.body) : h('p', { class: 'error' }, `The adapter refuses this write now: ${native.refusals.map((r) => `${r.field} ${r.message}`).join('; ')}`),
        h('p', { class: 'muted' }, 'The adapter’s mapping of the payload (the one every attempt runs), secrets masked.'),
      );
    } catch (err) {
      nativeBox.replaceChildren(h('p', { class: 'error' }, problem(err)));
    }
  };

  const draw = () => {
    const list = (names) => (names?.length ? h('ul', { class: 'chips' }, names.map((n) => h('li', {}, n))) : h('p', { class: 'muted' }, 'none'));
    body.replaceChildren(
      h(
        'div',
        { class: 'op-head' },
        h('p', {}, badge(op.status), ` ${op.operation_type} ${op.resource} on ${op.source_name}`, op.fleet_ref ? ` · fleet ${op.fleet_ref}` : ''),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', onclick: () => act('retry'), disabled: op.status !== 'failed', 'aria-describedby': 'retry-help' }, 'Retry'),
          h('button', { type: 'button', class: 'secondary', onclick: () => act('cancel'), disabled: op.status !== 'pending' }, 'Cancel'),
          h('small', { id: 'retry-help', class: 'muted' }, 'Retry: failed operations, with a fresh attempt budget. Cancel: pending ones.'),
        ),
      ),
      message,
      h(
        'dl',
        { class: 'facts' },
        [
          ['Operation', op.id],
          ['Connection', op.connection_id],
          ...(op.partner_id && session.get().mode === 'operator' ? [['Partner', op.partner_id]] : []),
          ['Resource id', op.resource_id ?? '—'],
          ['TSP id', op.source_id ?? '—'],
          ['Attempts', String(op.attempts)],
          ['Created', when(op.created_at)],
          ['Updated', when(op.updated_at)],
          ['Next attempt', when(op.next_attempt_at)],
        ].map(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v)]),
      ),
      h('h2', {}, 'Attempts'),
      h('div', { class: 'figure' }, attemptTimeline(op)),
      table('Attempts', ['#', 'Status', 'HTTP', 'Error class', 'Details', 'Duration', 'At', 'Response headers'], attemptRows()),
      h('div', { class: 'two' }, h('section', {}, h('h2', {}, 'Payload'), json(op.payload)), h('section', {}, h('h2', {}, 'Sent to the TSP'), nativeBox)),
      h('div', { class: 'two' }, h('section', {}, h('h2', {}, 'Dropped fields'), h('p', { class: 'muted' }, 'The TSP cannot store these; they were not written.'), list(op.dropped_fields)), h('section', {}, h('h2', {}, 'Ignored fields'), h('p', { class: 'muted' }, 'Not in the contract: accepted and ignored.'), list(op.ignored_fields))),
    );
    loadNative();
  };

  const load = async () => {
    try {
      op = await api('GET', paths.operation(ref));
      draw();
    } catch (err) {
      body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load the operation: ${problem(err)}`));
    }
  };
  load();
  const stop = followChanges(paths.events(), (change) => {
    if (change.id !== ref.id) return;
    announce(`The operation is now ${change.status}.`);
    load();
  });

  const element = h('section', {}, h('p', {}, h('a', { href: '#/operations' }, '← Operations')), heading(`Operation ${ref.id.slice(0, 8)}`), body);
  return { element, title: `Operation ${ref.id.slice(0, 8)}`, leave: stop };
}
