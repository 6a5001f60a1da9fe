// Elements are built with textContent and attributes only, never from HTML strings: nothing an API
// answer holds (a TSP's error text, a payload value) can become markup or script.
const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h('button', { class: 'x', onclick }, 'Retry'). */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** An SVG element. */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

export const clear = (el) => {
  el.replaceChildren();
  return el;
};

/** A status word as a badge: its colour repeats the word, never replaces it. */
export const badge = (status) => h('span', { class: `badge badge-${String(status).replace(/[^a-z_]/g, '')}` }, status);

export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '—');

export const json = (value) => h('pre', { class: 'json', tabindex: '0' }, JSON.stringify(value, null, 2));

/** Announces a message to screen readers and shows it in the page's status line. */
export function announce(text, kind = 'info') {
  const line = document.getElementById('status-line');
  if (!line) return;
  line.textContent = text;
  line.dataset.kind = kind;
}

/** A table in a scroll box (wide tables scroll sideways on a phone instead of breaking the page). */
export function table(caption, headers, rows) {
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {}, h('caption', { class: 'sr-only' }, caption), h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, rows)),
  );
}

/** A view's heading: focusable, so the router can move focus to it. */
export const heading = (text) => h('h1', { tabindex: '-1' }, text);

/** A labelled form field; the label names the control for screen readers. */
export function field(label, control, help) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const helpEl = help ? h('small', { id: `${id}-help` }, help) : null;
  if (helpEl) control.setAttribute('aria-describedby', helpEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, helpEl);
}

/** An error from the API as a readable message (the envelope's message and each 422 detail). */
export function problem(err) {
  const detail = Array.isArray(err?.body?.detail) ? err.body.detail.map((d) => `${d.path}: ${d.message}`).join('; ') : '';
  return [err?.message ?? String(err), detail].filter(Boolean).join(' — ');
}
