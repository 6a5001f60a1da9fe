// The human output of `fleetgate operations`: a table of operations, one operation with its attempts.
// `--json` prints the API's bodies instead.

export interface AttemptLog {
  attempt: number;
  created_at: string;
  status: string;
  error_class: string | null;
  error_details: string | null;
  response_status_code: number | null;
  duration_ms: number;
}

export interface OperationItem {
  id: string;
  partner_id: string;
  connection_id: string;
  source_name: string;
  resource: string;
  operation_type: string;
  status: string;
  attempts: number;
  created_at: string;
  updated_at: string;
  next_attempt_at: string | null;
  resource_id: string | null;
  source_id: string | null;
  dropped_fields: string[];
  payload: Record<string, unknown>;
  logs: AttemptLog[];
}

/** Columns padded to their widest cell; the last one is left ragged. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** A one-line excerpt: TSP error texts can be long and span lines. */
const excerpt = (text: string | null | undefined, max = 60) => {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export function operationTable(items: OperationItem[]): string {
  if (!items.length) return 'no operations match\n';
  return table(
    ['ID', 'CREATED', 'STATUS', 'TSP', 'RESOURCE', 'OP', 'ATTEMPTS', 'PARTNER', 'LAST ERROR'],
    items.map((o) => {
      const last = o.logs.at(-1);
      return [
        o.id,
        when(o.created_at),
        o.status,
        o.source_name,
        o.resource,
        o.operation_type,
        String(o.attempts),
        o.partner_id,
        last && last.status !== 'success' ? excerpt(`${last.error_class ?? ''} ${last.response_status_code ?? ''} ${last.error_details ?? ''}`) : '',
      ];
    }),
  );
}

export function operationText(o: OperationItem): string {
  const fields: Array<[string, string | null]> = [
    ['id', o.id],
    ['status', o.status],
    ['partner', o.partner_id],
    ['connection', `${o.connection_id} (${o.source_name})`],
    ['operation', `${o.operation_type} ${o.resource}`],
    ['resource_id', o.resource_id],
    ['source_id', o.source_id],
    ['created', when(o.created_at)],
    ['updated', when(o.updated_at)],
    ['next attempt', o.next_attempt_at && when(o.next_attempt_at)],
    ['dropped fields', o.dropped_fields.length ? o.dropped_fields.join(', ') : null],
    ['payload', JSON.stringify(o.payload)],
  ];
  const head = fields
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${`${k}:`.padEnd(16)}${v}`)
    .join('\n');
  const attempts = o.logs.length
    ? table(
        ['#', 'AT', 'RESULT', 'HTTP', 'CLASS', 'MS', 'DETAILS'],
        o.logs.map((l) => [String(l.attempt), when(l.created_at), l.status, l.response_status_code === null ? '-' : String(l.response_status_code), l.error_class ?? '', String(l.duration_ms), excerpt(l.error_details, 80)]),
      )
    : 'no attempt yet\n';
  return `${head}\n\nattempts (${o.logs.length}):\n${attempts}`;
}
