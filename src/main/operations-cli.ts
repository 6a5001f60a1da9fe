// `fleetgate operations list|show|retry|cancel`: every partner's operations on a running fleetgate,
// through its operator API (routes/admin-operations.ts). The token comes from FLEETGATE_ADMIN_TOKEN
// only: an argument would sit in the shell history and in `ps` for every user of the machine.
import { Command, InvalidArgumentError, Option } from 'commander';
import { request } from 'undici';
import { OPERATION_STATUSES, OPERATION_TYPES, RESOURCES, TSP_SOURCE_NAMES } from '../contract/enums.ts';
import { OperatorError } from './operator.ts';
import { createProgress } from './progress.ts';
import type { ProgressStream } from './progress.ts';
import { operationTable, operationText } from './operations-format.ts';
import type { OperationItem } from './operations-format.ts';

interface Io {
  env: Record<string, string | undefined>;
  stdout: ProgressStream;
  stderr: ProgressStream;
  now: () => number;
}

interface Filters {
  status?: string;
  resource?: string;
  connection?: string;
  tsp?: string;
  fleetRef?: string[];
  operation?: string;
  sourceId?: string;
  partner?: string[];
  since?: string;
  until?: string;
}
interface Common {
  url: string;
  json?: boolean;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1h`, `90m`, `2d`: that long before now; anything else is an instant the server checks (RFC 3339). */
export function instantOf(value: string, now: number): string {
  const m = /^(\d+)([smhd])$/.exec(value);
  return m ? new Date(now - Number(m[1]) * UNITS[m[2]!]!).toISOString() : value;
}

function client(opts: Common, io: Io) {
  const token = io.env.FLEETGATE_ADMIN_TOKEN;
  if (!token) throw new OperatorError('set FLEETGATE_ADMIN_TOKEN to the server\'s operator token (it is never taken as an argument)');
  let base: URL;
  try {
    base = new URL(opts.url);
  } catch {
    throw new OperatorError(`--url: not a URL: ${opts.url}`);
  }
  const root = base.toString().replace(/\/+$/, '');
  return async <T>(method: 'GET' | 'POST', path: string, query?: URLSearchParams): Promise<{ status: number; body: T & { message?: string; detail?: unknown } }> => {
    const qs = query?.toString();
    let res;
    try {
      res = await request(`${root}${path}${qs ? `?${qs}` : ''}`, { method, headers: { authorization: `Bearer ${token}` } });
    } catch (err) {
      throw new OperatorError(`cannot reach ${root}: ${(err as Error).message}`);
    }
    const text = await res.body.text();
    let body: T & { message?: string; detail?: unknown };
    try {
      body = (text ? JSON.parse(text) : {}) as typeof body;
    } catch {
      throw new OperatorError(`${root}${path} answered ${res.statusCode} with something other than JSON`);
    }
    return { status: res.statusCode, body };
  };
}

/** The server's refusal as one sentence: its message, and the parameters a 422 names. */
function refusal(status: number, body: { message?: string; detail?: unknown }): string {
  const problems = Array.isArray(body.detail)
    ? (body.detail as Array<{ path?: string; message?: string }>).map((p) => `${p.path}: ${p.message}`).join('; ')
    : typeof body.detail === 'string' ? body.detail : '';
  const hint = status === 401 ? ' (is FLEETGATE_ADMIN_TOKEN the server\'s?)' : status === 404 && /^Route /.test(body.message ?? '') ? ' (is FLEETGATE_ADMIN_TOKEN set on the server?)' : '';
  return `${status} ${body.message ?? ''}${problems ? ` (${problems})` : ''}${hint}`;
}

function queryOf(f: Filters, io: Io, page: { size?: number; cursor?: string } = {}): URLSearchParams {
  const q = new URLSearchParams();
  const set = (name: string, value: string | undefined) => value !== undefined && q.set(name, value);
  set('status', f.status);
  set('resource', f.resource);
  set('connection_id', f.connection);
  set('source_name', f.tsp);
  set('operation', f.operation);
  set('source_id', f.sourceId);
  for (const r of f.fleetRef ?? []) q.append('fleet_refs', r);
  for (const p of f.partner ?? []) q.append('partner_ids', p);
  if (f.since) q.set('from_datetime', instantOf(f.since, io.now()));
  if (f.until) q.set('to_datetime', instantOf(f.until, io.now()));
  if (page.size) q.set('size', String(page.size));
  set('cursor', page.cursor);
  return q;
}

interface Page {
  items: OperationItem[];
  total: number;
  next_page: string | null;
}

async function listPages(call: ReturnType<typeof client>, f: Filters, io: Io, opts: { size?: number; cursor?: string; all?: boolean }): Promise<Page> {
  const items: OperationItem[] = [];
  let cursor = opts.cursor;
  for (;;) {
    const res = await call<Page>('GET', '/admin/v1/resource-operations', queryOf(f, io, { size: opts.size, cursor }));
    if (res.status !== 200) throw new OperatorError(`listing operations: ${refusal(res.status, res.body)}`);
    items.push(...res.body.items);
    if (!opts.all || !res.body.next_page) return { items, total: res.body.total, next_page: res.body.next_page };
    cursor = res.body.next_page;
  }
}

const id = (v: string) => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) throw new InvalidArgumentError('not an operation id (a UUID)');
  return v;
};
const whole = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
  return n;
};

function withFilters(cmd: Command): Command {
  return cmd
    .addOption(new Option('--status <status>', 'only operations in this status').choices([...OPERATION_STATUSES]))
    .addOption(new Option('--resource <resource>', 'only this resource').choices([...RESOURCES]))
    .option('--connection <id>', 'only this connection')
    .addOption(new Option('--tsp <tsp>', "only this TSP (the operations' source_name)").choices([...TSP_SOURCE_NAMES]))
    .option('--fleet-ref <ref...>', 'only these fleets (their fleet_ref)')
    .addOption(new Option('--operation <type>', 'only creates or updates').choices([...OPERATION_TYPES]))
    .option('--source-id <id>', "only this TSP record (needs --resource)")
    .option('--partner <id...>', 'only these partners')
    .option('--since <when>', 'created at or after: a duration back from now (30m, 1h, 2d) or an RFC 3339 instant (default: a day before --until)')
    .option('--until <when>', 'created before: a duration back from now or an RFC 3339 instant (default: now)');
}
const withCommon = (cmd: Command) =>
  cmd.option('--url <url>', 'the running fleetgate', 'http://127.0.0.1:8080').option('--json', 'JSON output (for scripts)');

type Verb = 'retry' | 'cancel';
const PAST: Record<Verb, string> = { retry: 'retried', cancel: 'cancelled' };
/** What a bulk command selects: a retry only failed operations, a cancel only pending ones. */
const BULK_STATUS: Record<Verb, string> = { retry: 'failed', cancel: 'pending' };

async function act(verb: Verb, ids: string[], opts: Filters & Common & { force?: boolean }, io: Io): Promise<number> {
  const call = client(opts, io);
  let targets = ids;
  if (!ids.length) {
    // Bulk: the selection is said out loud, so a forgotten id never retries a day of failures.
    if (opts.status !== BULK_STATUS[verb]) {
      throw new OperatorError(`give operation ids, or select them with --status ${BULK_STATUS[verb]} (and any other filter, e.g. --since 1h)`);
    }
    // Every id first, then the commands: a retried operation leaves the failed list, which would shift its pages.
    targets = (await listPages(call, opts, io, { size: 1000, all: true })).items.map((o) => o.id);
  }
  const done: string[] = [];
  const refused: Array<{ id: string; status: number; message: string }> = [];
  const progress = targets.length > 1 ? createProgress(io.stderr, targets.length, PAST[verb]) : undefined;
  for (const target of targets) {
    const query = verb === 'retry' && opts.force ? new URLSearchParams({ force: 'true' }) : undefined;
    const res = await call<OperationItem>('POST', `/admin/v1/resource-operations/${target}/${verb}`, query);
    if (res.status === 200) done.push(target);
    else refused.push({ id: target, status: res.status, message: refusal(res.status, res.body) });
    progress?.tick(res.status === 200, res.status === 200 ? `${PAST[verb]} ${target}` : `refused ${target}: ${refusal(res.status, res.body)}`);
  }
  progress?.done();
  if (opts.json) io.stdout.write(`${JSON.stringify({ [PAST[verb]]: done, refused }, null, 2)}\n`);
  else {
    io.stdout.write(`${PAST[verb]} ${done.length} of ${targets.length}${refused.length ? `, refused ${refused.length}:` : ''}\n`);
    for (const r of refused) io.stdout.write(`  ${r.id}: ${r.message}\n`);
  }
  return refused.length ? 1 : 0;
}

/** Adds `operations` to the program; each action resolves to its exit code. */
export function operationCommands(program: Command, io: Io, exit: (run: () => Promise<number>) => void): void {
  const ops = program
    .command('operations')
    .description("Every partner's resource operations on a running fleetgate, through its operator API (token: FLEETGATE_ADMIN_TOKEN)");

  withCommon(withFilters(ops.command('list').description('List operations (oldest first, in the API\'s order), with the API\'s filters')))
    .option('--size <n>', 'operations per page (1-1000)', whole(1, 1000), 50)
    .option('--cursor <cursor>', 'the page after a previous list (its next cursor)')
    .option('--all', 'every page')
    .action((opts: Filters & Common & { size: number; cursor?: string; all?: boolean }) =>
      exit(async () => {
        const page = await listPages(client(opts, io), opts, io, opts);
        if (opts.json) io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        else {
          io.stdout.write(operationTable(page.items));
          const more = page.next_page && !opts.all ? `; next page: --cursor ${page.next_page}` : '';
          io.stdout.write(`${page.items.length} of ${page.total}${more}\n`);
        }
        return 0;
      }),
    );

  withCommon(ops.command('show').description('One operation with its attempts').argument('<id>', 'operation id', id)).action((opId: string, opts: Common) =>
    exit(async () => {
      const res = await client(opts, io)<OperationItem>('GET', `/admin/v1/resource-operations/${opId}`);
      if (res.status !== 200) throw new OperatorError(`operation ${opId}: ${refusal(res.status, res.body)}`);
      io.stdout.write(opts.json ? `${JSON.stringify(res.body, null, 2)}\n` : operationText(res.body));
      return 0;
    }),
  );

  for (const verb of ['retry', 'cancel'] as const) {
    const cmd = withCommon(
      withFilters(
        ops
          .command(verb)
          .description(
            verb === 'retry'
              ? 'Retry failed operations with a fresh attempt budget: the ids given, or every one --status failed and the filters select'
              : 'Cancel pending operations not in flight: the ids given, or every one --status pending and the filters select',
          )
          .argument('[ids...]', 'operation ids', (v: string, prev: string[] = []) => [...prev, id(v)]),
      ),
    );
    if (verb === 'retry') cmd.option('--force', 'retry a failed update even over a later successful write to the same record');
    cmd.action((ids: string[] | undefined, opts: Filters & Common & { force?: boolean }) => exit(() => act(verb, ids ?? [], opts, io)));
  }
}
