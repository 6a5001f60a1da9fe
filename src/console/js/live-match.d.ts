// Types for live-match.js (the console's files are plain browser JavaScript; node's tests import this one).
type Filters = Iterable<[string, string]>;
interface ChangeFields {
  partner_id: string;
  connection_id: string;
  source_name: string;
  resource: string;
  operation_type: string;
  status: string;
  created_at: string;
}
export function matchChange(filters: Filters, change: ChangeFields): 'match' | 'miss' | 'unknown';
export function placeChange(
  filters: Filters,
  change: ChangeFields,
  page: { items: ReadonlyArray<{ created_at: string }>; onLastPage: boolean; loadedAt: number },
): 'append' | 'stale' | 'ignore';
