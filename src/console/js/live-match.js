// Whether a change from the live feed belongs in the operations list as filtered, decided in the page
// (no DOM here, so it runs in node too). A change carries only some of an operation's fields: a filter
// on a field it lacks cannot be decided, and the list is then marked out of date instead of guessed at.

// List filter → the change's field holding the same value.
const EXACT = { resource: 'resource', connection_id: 'connection_id', source_name: 'source_name', operation: 'operation_type', status: 'status' };
const ANY_OF = { partner_ids: 'partner_id' };
// Parameters that shape the page, not which operations match.
const PAGING = new Set(['cursor', 'size']);

const listOf = (value) => value.split(',').map((v) => v.trim()).filter(Boolean);

/**
 * 'match', 'miss', or 'unknown' (a filter the change cannot be checked against: fleet_refs, source_id,
 * or one this page does not know). A miss on any filter decides, whatever the others.
 * `filters`: the list's query (a URLSearchParams or a Map of name → value, lists comma-separated).
 */
export function matchChange(filters, change) {
  let unknown = false;
  for (const [name, value] of filters) {
    if (!value || PAGING.has(name)) continue;
    if (name in EXACT) {
      if (change[EXACT[name]] !== value) return 'miss';
    } else if (name in ANY_OF) {
      if (!listOf(value).includes(change[ANY_OF[name]])) return 'miss';
    } else if (name === 'from_datetime') {
      // The list's window is on created_at: on or after from, before to.
      if (Date.parse(change.created_at) < Date.parse(value)) return 'miss';
    } else if (name === 'to_datetime') {
      if (Date.parse(change.created_at) >= Date.parse(value)) return 'miss';
    } else {
      unknown = true;
    }
  }
  return unknown ? 'unknown' : 'match';
}

/**
 * What a change of an operation the page does not show means for it (pages run oldest first, by
 * created_at): 'append' (created after the page's newest, on the last page: a new operation),
 * 'stale' (it may now belong among the page's rows, or cannot be told: the page should be refreshed),
 * or 'ignore' (it does not match, or belongs on another page).
 * `page`: { items, onLastPage, loadedAt (ms, when the page was asked for) }.
 */
export function placeChange(filters, change, page) {
  const verdict = matchChange(filters, change);
  if (verdict === 'miss') return 'ignore';
  const created = Date.parse(change.created_at);
  const first = page.items[0];
  const newest = page.items.at(-1);
  const isNew = newest ? created > Date.parse(newest.created_at) : created >= page.loadedAt;
  if (isNew) {
    if (!page.onLastPage) return 'ignore';
    return verdict === 'match' ? 'append' : 'stale';
  }
  // An older operation that changed (a retry, a status that now matches): on this page only if it
  // falls within the page's span; before it, it belongs on an earlier page.
  if (first && created < Date.parse(first.created_at)) return 'ignore';
  return 'stale';
}
