// Samsara messages and group messages over real HTTP: the adapters against a standalone Samsara sandbox
// (every mapping row, every refusal, the body and rate class of the call), then the write API end to
// end through the app's mounted sandbox (recipients created through fleetgate, sync sends, refusals at
// submit, the capability catalogue, and a lost answer failed with its reason instead of sent twice,
// then sent by a manual retry).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { GroupMessageAttributes, MessageAttributes } from '../src/contract/resources/messages.ts';
import { GROUP_MESSAGE_ATTRIBUTE_NAMES, MESSAGE_ATTRIBUTE_NAMES } from '../src/contract/resources/messages.ts';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import type { ResourceAdapter, Write } from '../src/tsps/kit/types.ts';
import { samsaraAdapter } from '../src/tsps/samsara/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { waitForOperation } from './helpers/motive.ts';
import type { SamsaraConnection, SandboxAccount } from './helpers/samsara-assets.ts';
import { recordingOpts, samsaraConnection, sandboxAccount } from './helpers/samsara-assets.ts';
import type { Written } from './helpers/samsara-writes.ts';
import { driverUser } from './helpers/samsara-writes.ts';

const messages = samsaraAdapter.resources.message!;
const groupMessages = samsaraAdapter.resources.group_message!;
type Json = Record<string, any>; // `any`: native bodies are read field by field

let sandbox: Awaited<ReturnType<typeof startSamsaraSandbox>>;
before(async () => {
  sandbox = await startSamsaraSandbox({ port: 0 });
});
after(async () => sandbox.close());

let seq = 0;
/** A driver in a standalone sandbox account: its Samsara id. */
async function sandboxDriver(acct: SandboxAccount): Promise<string> {
  const res = await acct.sb('POST', '/fleet/drivers', { name: 'Dana', username: `dana${++seq}`, password: 'pw-123456' });
  assert.equal(res.status, 200, res.text);
  return res.body.data.id;
}

const write = (changes: Json, refs: Write['refs']): Write => ({ operation: 'create', changes, merged: changes, externalId: randomUUID(), refs });
const sandboxTarget = () => ({ baseUrl: sandbox.url, credentials: { access_token: 'unused' } });
const listed = async (acct: SandboxAccount): Promise<Json[]> => (await acct.sb('GET', '/v1/fleet/messages')).body.data;

describe('message mapping rows', () => {
  test('every field lands where its row says or is reported dropped; Samsara lists the message for the driver', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const driverId = await sandboxDriver(acct);
    const changes: MessageAttributes = { sender_id: randomUUID(), recipient_id: randomUUID(), message_text: 'Dock 4 at 10:00', priority: 'high', reply_to_message_id: randomUUID() };
    const w = write(changes, { sender_id: '777', recipient_id: driverId });
    const rows: Record<keyof MessageAttributes, Json | 'dropped'> = {
      sender_id: 'dropped',
      recipient_id: { driverIds: [Number(driverId)] },
      message_text: { text: 'Dock 4 at 10:00' },
      priority: 'dropped',
      reply_to_message_id: 'dropped',
    };
    assert.deepEqual(Object.keys(rows), MESSAGE_ATTRIBUTE_NAMES, 'one expectation per contract field, in its order');
    const m = messages.map(w);
    assert.ok(m.ok, JSON.stringify(m));
    assert.deepEqual(m.body, Object.assign({}, ...Object.values(rows).filter((r) => r !== 'dropped')));
    assert.deepEqual(m.dropped, MESSAGE_ATTRIBUTE_NAMES.filter((f) => rows[f] === 'dropped'));
    const stored = samsaraAdapter.capabilities.fields.message!;
    for (const f of MESSAGE_ATTRIBUTE_NAMES) assert.equal(stored[f], rows[f] !== 'dropped', f);

    const { opts, classes } = recordingOpts();
    const a = await messages.send(acct.target, w, m.body, opts);
    assert.deepEqual([a.ok, a.statusCode, a.sourceId], [true, 200, undefined], JSON.stringify(a));
    assert.deepEqual(classes, ['default']);
    const [sent] = (await acct.requests()).filter((r) => r.path === '/v1/fleet/messages');
    assert.deepEqual([sent.method, sent.path, sent.body], ['POST', '/v1/fleet/messages', m.body]);
    assert.deepEqual((await listed(acct)).map((x) => [x.driverId, x.text, x.sender.type]), [[Number(driverId), 'Dock 4 at 10:00', 'dispatch']]);
  });

  test('a group message names every recipient in one call, each once', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const [a, b] = [await sandboxDriver(acct), await sandboxDriver(acct)];
    const changes: GroupMessageAttributes = { sender_id: randomUUID(), recipient_ids: [randomUUID(), randomUUID(), randomUUID()], message_text: 'Yard closes at 6', priority: 'low' };
    const rows: Record<keyof GroupMessageAttributes, Json | 'dropped'> = {
      sender_id: 'dropped',
      recipient_ids: { driverIds: [Number(a), Number(b)] },
      message_text: { text: 'Yard closes at 6' },
      priority: 'dropped',
    };
    assert.deepEqual(Object.keys(rows), GROUP_MESSAGE_ATTRIBUTE_NAMES);
    const w = write(changes, { sender_id: '777', recipient_ids: [a, b, a] });
    const m = groupMessages.map(w);
    assert.ok(m.ok, JSON.stringify(m));
    assert.deepEqual(m.body, Object.assign({}, ...Object.values(rows).filter((r) => r !== 'dropped')));
    assert.deepEqual(m.dropped, ['sender_id', 'priority']);
    const stored = samsaraAdapter.capabilities.fields.group_message!;
    for (const f of GROUP_MESSAGE_ATTRIBUTE_NAMES) assert.equal(stored[f], rows[f] !== 'dropped', f);
    const { opts, classes } = recordingOpts();
    assert.equal((await groupMessages.send(acct.target, w, m.body, opts)).ok, true);
    assert.deepEqual(classes, ['default']);
    assert.deepEqual((await acct.requests()).filter((r) => r.method === 'POST' && r.path === '/v1/fleet/messages').length, 1);
    assert.deepEqual((await listed(acct)).map((x) => x.driverId).sort(), [Number(a), Number(b)].sort());
  });

  test('2500 characters are taken, counted as characters (an emoji is one)', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const w = write({ message_text: '🚚'.repeat(2500) }, { recipient_id: await sandboxDriver(acct) });
    const m = messages.map(w);
    assert.ok(m.ok);
    assert.equal((await messages.send(acct.target, w, m.body, recordingOpts().opts)).ok, true);
  });
});

describe('refusals: refused before any call, naming the field', () => {
  const cases: Array<[string, ResourceAdapter, Json, Write['refs'], string, RegExp]> = [
    ['a message without text (optional in Catena, required by Samsara)', messages, {}, { recipient_id: '5' }, 'message_text', /^Samsara requires the text of a message/],
    ['a message whose text is null', messages, { message_text: null }, { recipient_id: '5' }, 'message_text', /requires the text/],
    ['a blank text', messages, { message_text: '  \n ' }, { recipient_id: '5' }, 'message_text', /non-blank message_text/],
    ['a text over 2500 characters', messages, { message_text: 'x'.repeat(2501) }, { recipient_id: '5' }, 'message_text', /at most 2500 characters \(got 2501\)/],
    ['a recipient whose Samsara id is not an integer driver id', messages, { message_text: 'x' }, { recipient_id: 'fleetgate:abc' }, 'recipient_id', /integer driver id/],
    ['a group message without text', groupMessages, { recipient_ids: ['x'] }, { recipient_ids: ['5'] }, 'message_text', /requires the text/],
    ['a group message to nobody', groupMessages, { recipient_ids: [], message_text: 'x' }, { recipient_ids: [] }, 'recipient_ids', /at least one driver/],
  ];
  for (const [name, adapter, changes, refs, field, message] of cases) {
    test(name, () => {
      const m = adapter.map(write(changes, refs));
      assert.ok(!m.ok, 'refused');
      assert.deepEqual(m.refusals.map((r) => r.field), [field]);
      assert.match(m.refusals[0]!.message, message);
    });
  }

  test("a 2xx that is not Samsara's list of sent messages is not trusted as sent", async () => {
    const acct = await sandboxAccount(sandbox.url);
    const w = write({ message_text: 'x' }, { recipient_id: await sandboxDriver(acct) });
    await acct.sb('POST', '/_sandbox/faults', { status: 200, body: { data: 'ok' } });
    const m = messages.map(w);
    assert.ok(m.ok);
    const a = await messages.send(acct.target, w, m.body, recordingOpts().opts);
    assert.deepEqual([a.ok, a.errorType], [false, 'unknown']);
    assert.match(a.errorDetails!, /without the list of sent messages/);
  });

  test('neither adapter can find a message again: refindable false, with the reason, and no lookup', async () => {
    for (const adapter of [messages, groupMessages]) {
      assert.equal(adapter.refindable, false);
      assert.match(adapter.refindReason!, /Samsara gives a message no id .* driverId 0/);
      const found = await adapter.findExisting(sandboxTarget(), write({}, {}), {}, recordingOpts().opts);
      assert.deepEqual([found.ok, found.found], [false, false]);
    }
  });
});

describe('through the write API', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  let c: SamsaraConnection;
  let ada: Written;
  let bo: Written;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
    c = await samsaraConnection(t, p);
    [ada, bo] = [await driverUser(t, p, c), await driverUser(t, p, c)];
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });
  const submit = (plural: string, json: Json, sync = true) =>
    call(t, 'POST', `/v2/telematics/${plural}${sync ? '?is_sync=true' : ''}`, { token: p.token, json: { connection_id: c.connectionId, ...json } });
  const sentTo = async (driverId: string, text: string): Promise<number> =>
    (await c.sb('GET', '/v1/fleet/messages')).body.data.filter((m: Json) => m.driverId === Number(driverId) && m.text === text).length;

  test("a sync message reaches the recipient's Samsara driver; the record has no Samsara id; sender and priority are listed as dropped", async () => {
    const text = `Load ready ${++seq}`;
    const res = await submit('messages', { sender_id: bo.id, recipient_id: ada.id, message_text: text, priority: 'medium' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    assert.deepEqual([res.body.source_id, [...res.body.dropped_fields].sort()], [null, ['priority', 'sender_id']]);
    assert.equal(await sentTo(ada.sourceId, text), 1);
    assert.equal(await sentTo(bo.sourceId, text), 0, 'the sender is not a recipient');
    const read = await call(t, 'GET', `/v2/telematics/messages/${res.body.resource_id}`, { token: p.token });
    assert.deepEqual([read.status, read.body.message_text, read.body.recipient_id, read.body.source_id], [200, text, ada.id, null]);
  });

  test('a sync group message reaches every recipient in one Samsara call', async () => {
    const text = `All hands ${++seq}`;
    const before = (await c.requests()).length;
    const res = await submit('group-messages', { sender_id: ada.id, recipient_ids: [ada.id, bo.id], message_text: text });
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    assert.deepEqual([await sentTo(ada.sourceId, text), await sentTo(bo.sourceId, text)], [1, 1]);
    const posts = (await c.requests()).slice(before).filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => r.body.driverIds), [[Number(ada.sourceId), Number(bo.sourceId)]]);
  });

  test('refused at submit with nothing sent: no text (unsupported_by_tsp), an unknown recipient (the engine, not_found); a reply (Samsara keeps no link) is sent without it', async () => {
    const before = (await c.requests()).length;
    const noText = await submit('messages', { sender_id: bo.id, recipient_id: ada.id }, false);
    assert.equal(noText.status, 422, noText.text);
    assert.deepEqual(noText.body.detail.map((d: Json) => [d.path, d.error_type]), [['body.message_text', 'unsupported_by_tsp']]);
    assert.match(noText.body.detail[0].message, /^Samsara requires the text/);
    const unknown = await submit('group-messages', { sender_id: bo.id, recipient_ids: [ada.id, randomUUID()], message_text: 'x' }, false);
    assert.equal(unknown.status, 422, unknown.text);
    assert.deepEqual(unknown.body.detail.map((d: Json) => [d.path, d.error_type]), [['body.recipient_ids.1', 'not_found']]);
    const first = await submit('messages', { sender_id: bo.id, recipient_id: ada.id, message_text: `first ${++seq}` });
    assert.equal((await c.requests()).slice(before).filter((r) => r.method === 'POST').length, 1, 'only the first message was sent');
    // The message replied to has no Samsara id, but Samsara keeps no reply link anyway: the reply goes
    // out, the link listed in dropped_fields.
    const reply = await submit('messages', { sender_id: ada.id, recipient_id: bo.id, message_text: 'reply', reply_to_message_id: first.body.resource_id });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.status, 'success', reply.text);
    assert.ok(reply.body.dropped_fields.includes('reply_to_message_id'));
  });

  test('the capability catalogue shows both as implemented, with what Samsara keeps', async () => {
    const entry = (await call(t, 'GET', '/v2/integrations/tsps', { token: p.token })).body.items.find((x: Json) => x.tsp === 'samsara');
    assert.deepEqual([entry.resources.message, entry.resources.group_message], [
      { create: 'implemented', update: 'not_implemented' },
      { create: 'implemented', update: 'not_implemented' },
    ]);
    assert.deepEqual(entry.fields.message, { sender_id: false, recipient_id: true, message_text: true, priority: false, reply_to_message_id: false });
    assert.deepEqual(entry.fields.group_message, { sender_id: false, recipient_ids: true, message_text: true, priority: false });
  });

  test('a lost answer is not sent again automatically (the log says why); a manual retry sends it', async () => {
    const text = `Lost ${++seq}`;
    await c.fault({ status: 502, body: 'Bad Gateway', after_apply: true });
    const res = await submit('messages', { sender_id: bo.id, recipient_id: ada.id, message_text: text }, false);
    assert.equal(res.status, 202, res.text);
    const done = await waitForOperation(t, p, c.connectionId, res.body.id, 15_000);
    assert.equal(done.status, 'failed', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', 'validation']);
    assert.match(done.logs[1].error_details, /not tried again automatically: .*Samsara gives a message no id.*Check the fleet at Samsara/);
    assert.equal(await sentTo(ada.sourceId, text), 1, 'the first attempt landed; the second sent nothing');
    const retried = await call(t, 'POST', `/v2/integrations/connections/${c.connectionId}/resource-operations/${res.body.id}/retry`, { token: p.token });
    assert.equal(retried.status, 200, retried.text);
    const again = await waitForOperation(t, p, c.connectionId, res.body.id, 15_000);
    assert.equal(again.status, 'success', JSON.stringify(again.logs));
    assert.equal(await sentTo(ada.sourceId, text), 2, 'the partner asked for it again');
  });
});
