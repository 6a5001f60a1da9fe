// The console's shell: sign-in, the section links, and a hash router (#/operations, #/operations/<id>
// ...). The hash carries only what is shown, never a token.
import { session } from './api.js';
import { announce, clear } from './dom.js';
import { chartsView } from './views/charts.js';
import { connectionsView } from './views/connections.js';
import { operationView } from './views/operation.js';
import { operationsView } from './views/operations.js';
import { signInView } from './views/signin.js';
import { webhooksView } from './views/webhooks.js';

const routes = [
  [/^#\/operations\/([0-9a-f-]{36})\/([0-9a-f-]{36})$/, (m) => operationView({ connection_id: m[1], id: m[2] })],
  [/^#\/connections$/, () => connectionsView()],
  [/^#\/webhooks$/, () => webhooksView()],
  [/^#\/charts$/, () => chartsView()],
  [/^#\/operations(\?.*)?$/, (m) => operationsView(new URLSearchParams((m[1] ?? '').slice(1)))],
];

let leave;
let lastHash;

async function render() {
  const main = document.getElementById('main');
  leave?.();
  leave = undefined;
  const s = session.get();
  document.getElementById('nav').hidden = !s;
  document.getElementById('who').hidden = !s;
  if (!s) {
    clear(main).append(signInView(() => render()));
    return;
  }
  document.getElementById('who-label').textContent = s.mode === 'operator' ? 'Operator (every partner)' : `Partner client ${s.label}`;
  const hash = location.hash || '#/operations';
  for (const a of document.querySelectorAll('#nav a')) {
    if (hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const route = routes.find(([re]) => re.test(hash));
  if (!route) {
    location.hash = '#/operations';
    return;
  }
  // A message belongs to the page it was said on.
  if (lastHash !== undefined && hash !== lastHash) announce('');
  lastHash = hash;
  const view = route[1](route[0].exec(hash));
  clear(main).append(view.element);
  leave = view.leave;
  document.title = `${view.title} · fleetgate console`;
  // Focus moves to the new content so keyboard and screen-reader users land on it.
  view.element.querySelector('h1')?.focus();
}

window.addEventListener('hashchange', render);
window.addEventListener('fleetgate:signed-out', (e) => {
  session.clear();
  announce(e.detail, 'error');
  render();
});
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', () => {
    session.clear();
    announce('Signed out.');
    location.hash = '#/operations';
    render();
  });
  render();
});
