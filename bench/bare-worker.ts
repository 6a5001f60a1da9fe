// The `drain` baseline: a bare worker, spawned as its own process like `fleetgate worker`, that does what
// executing a queued user create minimally has to do: claim due rows with FOR UPDATE SKIP LOCKED, call the
// same sandbox endpoint (POST /v1/users) over the same HTTP client (undici's request), mark each done.
//
// No state machine, no ordering of writes to one record, no rate-limit slots, no connection or
// credential read (the API keys come in the environment), no mapping (a fixed field copy), no attempt
// log, no record kept, no webhook outbox, no logs. One claim statement per batch and one UPDATE per
// operation on a pg.Pool of 10, like fleetgate's.
//
// Env: DATABASE_URL, SANDBOX_BASE, BARE_API_KEYS (JSON: connection id -> API key), CONCURRENCY.
import pg from 'pg';
import { request } from 'undici';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 10 });
const base = process.env.SANDBOX_BASE!;
const keys = JSON.parse(process.env.BARE_API_KEYS!) as Record<string, string>;
const concurrency = Number(process.env.CONCURRENCY ?? 16);

const CLAIM = `UPDATE resource_operations o SET lease_owner = 'bare', attempts = o.attempts + 1
  FROM (SELECT id FROM resource_operations WHERE status = 'pending' AND lease_owner IS NULL AND next_attempt_at <= now()
         ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) due
 WHERE o.id = due.id
RETURNING o.id, o.connection_id, o.payload`;
const DONE = `UPDATE resource_operations SET status = $2, lease_owner = NULL, updated_at = now() WHERE id = $1`;

interface Row {
  id: string;
  connection_id: string;
  payload: Record<string, unknown>;
}

async function run(row: Row): Promise<void> {
  const p = row.payload;
  const res = await request(`${base}/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': keys[row.connection_id] ?? '' },
    body: JSON.stringify({
      first_name: p.first_name,
      last_name: p.last_name,
      email: p.user_email,
      phone: p.phone_number,
      phone_country_code: p.phone_country_code,
      role: 'driver',
      drivers_license_number: p.license_number,
      drivers_license_state: p.license_region,
    }),
  });
  await res.body.text();
  await pool.query({ name: 'done', text: DONE, values: [row.id, res.statusCode < 300 ? 'success' : 'failed'] });
}

let inflight = 0;
let stopping = false;
let wake: (() => void) | undefined;
process.on('SIGTERM', () => {
  stopping = true;
  wake?.();
});
process.stdout.write(`${JSON.stringify({ msg: 'bare worker started' })}\n`);
while (!stopping) {
  const free = concurrency - inflight;
  const rows = free > 0 ? (await pool.query<Row>({ name: 'claim', text: CLAIM, values: [free] })).rows : [];
  for (const row of rows) {
    inflight++;
    void run(row)
      .catch(() => {})
      .finally(() => {
        inflight--;
        wake?.();
      });
  }
  // Full batch: claim again at once; otherwise until an operation finishes (or a short poll).
  if (rows.length < free || free === 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 50);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }
}
while (inflight > 0) await new Promise((r) => setTimeout(r, 10));
await pool.end();
process.exit(0);
