// Webhooks: the subscriptions; for one, its metrics (as a drawn bar per window), its delivery log
// and a replay of the dead-letter queue.
import { api, session } from '../api.js';
import { announce, badge, h, heading, problem, table, when } from '../dom.js';
import { pathsFor } from '../paths.js';

const WINDOWS = ['6h', '24h', '7d', '14d'];

function successBars(metrics) {
  return h(
    'div',
    { class: 'bars', role: 'img', 'aria-label': `Delivered attempts per window: ${WINDOWS.map((w) => `${w} ${metrics.http_success_attempts[w] ?? 0} of ${metrics.http_attempts[w] ?? 0}`).join(', ')}` },
    WINDOWS.map((w) => {
      const all = metrics.http_attempts[w] ?? 0;
      const ok = metrics.http_success_attempts[w] ?? 0;
      const bar = h('span', { class: 'bar-fill' });
      // A width set through the CSSOM, which the console's CSP allows (inline style attributes it does not).
      bar.style.width = `${all ? (ok / all) * 100 : 0}%`;
      return h('div', { class: 'bar-row' }, h('span', { class: 'bar-label' }, w), h('span', { class: 'bar-track' }, bar), h('span', { class: 'bar-value' }, all ? `${ok}/${all} ok` : 'no attempts'));
    }),
  );
}

export function webhooksView() {
  const paths = pathsFor(session.get().mode);
  const operator = session.get().mode === 'operator';
  const list = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const detail = h('div', { class: 'webhook-detail' });

  const open = async (hook) => {
    detail.replaceChildren(h('h2', {}, `${hook.event_name} → ${hook.url}`), h('p', { class: 'muted' }, 'Loading…'));
    try {
      const [metrics, logs] = await Promise.all([api('GET', `${paths.webhook(hook.id)}/metrics`), api('GET', `${paths.webhook(hook.id)}/logs`, { params: { size: 50 } })]);
      const replayOut = h('span', { role: 'status' });
      const replay = h('button', {
        type: 'button',
        disabled: metrics.dlq_count === 0,
        onclick: async () => {
          try {
            const res = await api('POST', `${paths.webhook(hook.id)}/replay`);
            replayOut.textContent = ` ${res.replayed} message${res.replayed === 1 ? '' : 's'} queued again.`;
            announce(replayOut.textContent.trim());
          } catch (err) {
            replayOut.textContent = ` ${problem(err)}`;
          }
        },
      }, `Replay dead letters (${metrics.dlq_count})`);
      detail.replaceChildren(
        h('h2', {}, `${hook.event_name} → ${hook.url}`),
        h('p', {}, badge(hook.status), ` success rate (24 h): ${metrics.success_rate['24h'] ?? 'n/a (under 200 messages)'} · EWMA ${metrics.ewma_success_rate === null ? '—' : `${Math.round(metrics.ewma_success_rate * 100)} %`} · average ${metrics.avg_response_time_ms['24h'] ?? '—'} ms`),
        successBars(metrics),
        h('p', {}, replay, replayOut),
        h('h3', {}, 'Delivery log'),
        table(
          'Delivery attempts',
          ['At', 'Event', 'Status', 'HTTP', 'Attempt', 'Time', 'Error', 'Message'],
          logs.items.map((l) => h('tr', {}, h('td', {}, when(l.created_at)), h('td', {}, l.event_name), h('td', {}, badge(l.status)), h('td', { class: 'num' }, l.status_code || '—'), h('td', { class: 'num' }, l.attempt ?? '—'), h('td', { class: 'num' }, l.response_time_ms === null ? '—' : `${l.response_time_ms} ms`), h('td', { class: 'details' }, l.error_message ?? '—'), h('td', { class: 'mono' }, l.delivery_status ?? ''))),
        ),
      );
    } catch (err) {
      detail.replaceChildren(h('p', { class: 'error' }, problem(err)));
    }
  };

  (async () => {
    try {
      const page = await api('GET', paths.webhooks(), { params: { size: 100 } });
      if (!page.items.length) return list.replaceChildren(h('p', { class: 'muted' }, 'No webhook subscriptions yet (POST /v2/notifications/webhooks creates one).'));
      list.replaceChildren(
        table(
          'Webhook subscriptions',
          ['Event', 'URL', 'Status', ...(operator ? ['Partner'] : []), '', 'Created'],
          page.items.map((hook) =>
            h(
              'tr',
              {},
              h('td', {}, hook.event_name),
              h('td', { class: 'mono' }, hook.url),
              h('td', {}, badge(hook.status)),
              operator ? h('td', { class: 'mono' }, (hook.partner_id ?? '').slice(0, 8)) : null,
              h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => open(hook), 'aria-label': `Deliveries of the ${hook.event_name} webhook` }, 'Deliveries')),
              h('td', {}, when(hook.created_at)),
            ),
          ),
        ),
      );
    } catch (err) {
      list.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not load webhooks: ${problem(err)}`));
    }
  })();
  return { element: h('section', {}, heading('Webhooks'), list, detail), title: 'Webhooks' };
}
