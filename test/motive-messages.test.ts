// Messages and group messages written to Motive through fleetgate's API, over real HTTP against the
// built-in Motive sandbox: every row of the two mapping tables (src/tsps/motive/messages/mapping.ts,
// group-messages/mapping.ts), the refusals at submit, a reference that does not resolve, the capability
// catalogue, and a send whose answer was lost found again in the sender's list instead of sent twice
// (and what the list match does not take for the earlier attempt).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { GROUP_MESSAGE_ATTRIBUTE_NAMES, MESSAGE_ATTRIBUTE_NAMES } from '../src/contract/resources/messages.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { findSentMessage, MATCH_WINDOW_MS } from '../src/tsps/motive/message-adapter.ts';
import { call } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { FleetApp, Json, Written, WritesConnection } from './helpers/motive-writes.ts';
import { fleetApp, refusedAt, succeeded, writesConnection } from './helpers/motive-writes.ts';

const messages = motiveAdapter.resources.message!;
const groups = motiveAdapter.resources.group_message!;

describe('the message tables', () => {
  test('cover every Catena field; priority and reply_to_message_id are the fields Motive does not keep', () => {
    assert.deepEqual(Object.keys(motiveAdapter.capabilities.fields.message!), MESSAGE_ATTRIBUTE_NAMES);
    assert.deepEqual(Object.keys(motiveAdapter.capabilities.fields.group_message!), GROUP_MESSAGE_ATTRIBUTE_NAMES);
    const notStored = (resource: string) => Object.entries(motiveAdapter.capabilities.fields[resource]!).filter(([, kept]) => !kept).map(([f]) => f);
    assert.deepEqual(notStored('message'), ['priority', 'reply_to_message_id']);
    assert.deepEqual(notStored('group_message'), ['priority']);
  });

  test('the native body is built from the resolved Motive ids, never the fleetgate ids', () => {
    const changes = { sender_id: randomUUID(), recipient_id: randomUUID(), message_text: 'hi' };
    const m = messages.map({ operation: 'create', changes, merged: changes, externalId: randomUUID(), refs: { sender_id: '7', recipient_id: '9' } });
    assert.deepEqual(m, { ok: true, body: { sender_id: 7, receiver_ids: [9], body: 'hi' }, dropped: [] });
    const unresolved = messages.map({ operation: 'create', changes, merged: changes, externalId: randomUUID(), refs: {} });
    assert.equal(unresolved.ok, false);
    const group = { sender_id: randomUUID(), recipient_ids: [randomUUID(), randomUUID(), randomUUID()], message_text: 'all' };
    const g = groups.map({ operation: 'create', changes: group, merged: group, externalId: randomUUID(), refs: { sender_id: '7', recipient_ids: ['9', '11', '9'] } });
    assert.deepEqual(g, { ok: true, body: { sender_id: 7, receiver_ids: [9, 11], body: 'all' }, dropped: [] });
  });
});

for (const kind of testDbKinds()) {
  describe(`Motive messages through fleetgate (${kind})`, () => {
    let app: FleetApp;
    let c: WritesConnection;
    let dispatch: Written;
    let ana: Written;
    let bo: Written;
    before(async () => {
      app = await fleetApp(kind);
      c = await writesConnection(app);
      [dispatch, ana, bo] = [await c.user('Dispatch'), await c.user('Ana'), await c.user('Bo')];
    });
    after(async () => app?.close());

    const listed = async (sender: Written) =>
      ((await c.motive.sandbox('GET', `/v2/messages?sender_id=${sender.motiveId}`)).body.messages as Json[]).map((x) => x.message);

    test('a message goes to POST /v2/messages as sender_id, receiver_ids [recipient], body; Motive\'s id is its source_id', async () => {
      const op = succeeded(await c.write('messages', { sender_id: dispatch.id, recipient_id: ana.id, message_text: 'Load 7 is ready', priority: 'high' }));
      const [sent] = (await c.requests('POST', '/v2/messages')).slice(-1);
      assert.deepEqual(sent.body, { sender_id: dispatch.motiveId, receiver_ids: [ana.motiveId], body: 'Load 7 is ready' });
      assert.equal(op.source_id, sent.response_body.message.id);
      assert.deepEqual(op.dropped_fields, ['priority']);
      const record = await call(app.t, 'GET', `/v2/telematics/messages/${op.resource_id}`, { token: c.p.token });
      assert.deepEqual([record.body.source_id, record.body.message_text, record.body.sender_id], [op.source_id, 'Load 7 is ready', dispatch.id]);
    });

    test('a reply is sent as a message in the conversation: reply_to_message_id is reported dropped', async () => {
      const first = succeeded(await c.write('messages', { sender_id: dispatch.id, recipient_id: ana.id, message_text: 'Where are you?' }));
      const reply = succeeded(await c.write('messages', { sender_id: ana.id, recipient_id: dispatch.id, message_text: 'At the dock', reply_to_message_id: first.resource_id }));
      assert.deepEqual(reply.dropped_fields, ['reply_to_message_id']);
      assert.deepEqual((await listed(ana)).map((m) => [m.body, m.receiver_ids]), [['At the dock', [dispatch.motiveId]]]);
    });

    test('a message without text (absent, null or blank) is refused at submit; nothing reaches Motive', async () => {
      const before = (await c.requests('POST', '/v2/messages')).length;
      for (const message_text of [undefined, null, '   ']) {
        assert.match(refusedAt(await c.write('messages', { sender_id: dispatch.id, recipient_id: ana.id, message_text }), 'message_text'), /requires body/);
      }
      assert.match(refusedAt(await c.write('group-messages', { sender_id: dispatch.id, recipient_ids: [ana.id] }), 'message_text'), /requires body/);
      assert.equal((await c.requests('POST', '/v2/messages')).length, before);
    });

    test('a recipient that is no user written through fleetgate is refused at submit, at its field', async () => {
      const res = await c.write('messages', { sender_id: dispatch.id, recipient_id: randomUUID(), message_text: 'x' });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.body.detail.map((d: Json) => [d.path, d.error_type]), [['body.recipient_id', 'not_found']]);
      const group = await c.write('group-messages', { sender_id: dispatch.id, recipient_ids: [ana.id, randomUUID()], message_text: 'x' });
      assert.deepEqual(group.body.detail.map((d: Json) => [d.path, d.error_type]), [['body.recipient_ids.1', 'not_found']]);
    });

    test('a group message is one bulk send to every recipient once; priority is dropped; an empty list is refused', async () => {
      const op = succeeded(await c.write('group-messages', { sender_id: dispatch.id, recipient_ids: [ana.id, bo.id, ana.id], message_text: 'Yard closes at 6', priority: 'low' }));
      const [sent] = (await c.requests('POST', '/v2/messages')).slice(-1);
      assert.deepEqual(sent.body, { sender_id: dispatch.motiveId, receiver_ids: [ana.motiveId, bo.motiveId], body: 'Yard closes at 6' });
      assert.equal(op.source_id, sent.response_body.message.id);
      assert.deepEqual(op.dropped_fields, ['priority']);
      assert.match(refusedAt(await c.write('group-messages', { sender_id: dispatch.id, recipient_ids: [], message_text: 'x' }), 'recipient_ids'), /at least one/);
    });

    for (const [resource, to] of [['messages', 'one'], ['group-messages', 'many']] as const) {
      test(`a lost answer to a ${resource} send is found in the sender's list: sent once, Motive's id adopted`, async () => {
        const text = `lost ${resource} ${randomUUID()}`;
        const attrs = to === 'one' ? { recipient_id: bo.id } : { recipient_ids: [ana.id, bo.id] };
        assert.equal((await c.motive.sandbox('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway', after_apply: true })).status, 201);
        const submitted = await c.write(resource, { sender_id: dispatch.id, message_text: text, ...attrs }, { sync: false });
        assert.equal(submitted.status, 202, submitted.text);
        const done = await c.wait(submitted.body.id);
        assert.equal(done.status, 'success', JSON.stringify(done.logs));
        assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
        const sends = (await c.requests('POST', '/v2/messages')).filter((r) => r.body.body === text);
        assert.equal(sends.length, 1);
        assert.equal(sends[0]!.status, 502); // it landed; its answer was lost
        const [message] = (await listed(dispatch)).filter((m) => m.body === text);
        assert.equal(done.source_id, message.id);
        const lookup = (await c.requests('GET', '/v2/messages')).at(-1)!;
        assert.equal(lookup.query.sender_id, String(dispatch.motiveId));
      });
    }

    test("the same text again in a later operation, its first answer lost before anything landed: sent, not taken for the earlier operation's message", async () => {
      const text = 'Please call dispatch';
      const first = await c.write('messages', { sender_id: dispatch.id, recipient_id: bo.id, message_text: text });
      assert.equal(first.body.status, 'success', first.text);
      // Refused before it is applied: the retry's lookup finds only the first operation's message.
      assert.equal((await c.motive.sandbox('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway' })).status, 201);
      const second = await c.write('messages', { sender_id: dispatch.id, recipient_id: bo.id, message_text: text }, { sync: false });
      const done = await c.wait(second.body.id);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.notEqual(done.source_id, first.body.source_id);
      const sent = (await listed(dispatch)).filter((m) => m.body === text);
      assert.equal(sent.length, 2, 'both operations sent their message');
    });

    test('the list match wants the same receivers, the same text, and a send since the operation was submitted', async () => {
      const target = { baseUrl: `${app.t.url}/sandbox/motive`, credentials: { api_key: c.motive.apiKey } };
      const opts = { timeoutMs: 2000 };
      const text = `match ${randomUUID()}`;
      const sent = await c.motive.sandbox('POST', '/v2/messages', { sender_id: dispatch.motiveId, receiver_ids: [ana.motiveId, bo.motiveId], body: text });
      assert.equal(sent.status, 201);
      const body = { sender_id: dispatch.motiveId, receiver_ids: [bo.motiveId, ana.motiveId], body: text };
      const since = Date.now() - 60_000;
      const found = await findSentMessage(target, body, opts, since);
      assert.deepEqual([found.ok, found.found, found.sourceId], [true, true, sent.body.message.id]);
      const cases: Json[] = [
        { ...body, receiver_ids: [ana.motiveId] }, // a subset of the receivers is another message
        { ...body, body: `${text}!` },
        { ...body, sender_id: ana.motiveId },
      ];
      for (const other of cases) assert.equal((await findSentMessage(target, other, opts, since)).found, false, JSON.stringify(other));
      // Sent before the operation was submitted: another operation's identical message, not adopted.
      const later = await findSentMessage(target, body, opts, Date.now() + 1000);
      assert.deepEqual([later.ok, later.found], [true, false]);
      // A failing list is a failed lookup, not "nothing there".
      const unknownSender = await findSentMessage(target, { ...body, sender_id: 987654 }, opts, since);
      assert.deepEqual([unknownSender.ok, unknownSender.errorType], [false, 'not_found']);
    });

    test('the capability catalogue shows message and group_message create as implemented, and their fields', async () => {
      const matrix = await call(app.t, 'GET', '/v2/integrations/tsps', { token: c.p.token });
      const entry = matrix.body.items.find((x: Json) => x.tsp === 'motive');
      assert.deepEqual(entry.resources.message, { create: 'implemented', update: 'not_implemented' });
      assert.deepEqual(entry.resources.group_message, { create: 'implemented', update: 'not_implemented' });
      assert.deepEqual(entry.fields.message, motiveAdapter.capabilities.fields.message);
      assert.deepEqual(entry.fields.group_message, motiveAdapter.capabilities.fields.group_message);
    });
  });
}
