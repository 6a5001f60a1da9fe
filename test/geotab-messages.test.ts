// Messages and group messages on Geotab over real HTTP: fleetgate's /v2/telematics/messages and
// /group-messages against the app's built-in Geotab sandbox. Every row of src/tsps/geotab/messages/mapping.ts
// and group-messages/mapping.ts read back from the TextMessage, the priority table, the refusals at submit,
// references resolved to Geotab ids, a lost Add answer adopted (and another sender's identical text not), a
// group message as one Add per distinct recipient, and a group whose later Add failed retried without
// sending the landed ones again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MESSAGE_ATTRIBUTE_NAMES, GROUP_MESSAGE_ATTRIBUTE_NAMES } from '../src/contract/resources/messages.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import type { Json } from './helpers/geotab-assets.ts';
import { geotabWrites } from './helpers/geotab-writes.ts';
import type { GeotabWritesFixture } from './helpers/geotab-writes.ts';
import { waitForOperation } from './helpers/motive.ts';

const MESSAGES = '/v2/telematics/messages';
const GROUPS = '/v2/telematics/group-messages';

describe('Geotab messages', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  let g: GeotabWritesFixture;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
    g = await geotabWrites(t, p);
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });

  const message = (id: string) => g.entity('TextMessage', id);
  const sent = async (body: Json) => {
    const res = await g.write(MESSAGES, body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    return res.body;
  };

  test('a message with every field: sender, recipient, text, urgency and parent read back from the TextMessage (no device)', async () => {
    const first = await sent({ sender_id: g.driver.id, recipient_id: g.dispatcher.id, message_text: 'Running late' });
    const op = await sent({
      sender_id: g.dispatcher.id,
      recipient_id: g.driver.id,
      message_text: 'Call dispatch',
      priority: 'high',
      reply_to_message_id: first.resource_id,
    });
    const native = await message(op.source_id);
    assert.deepEqual(
      { user: native.user, recipient: native.recipient, device: native.device, parentMessage: native.parentMessage, isDirectionToVehicle: native.isDirectionToVehicle, messageContent: native.messageContent },
      {
        user: { id: g.dispatcher.geotab },
        recipient: { id: g.driver.geotab },
        device: null,
        parentMessage: { id: first.source_id },
        isDirectionToVehicle: true,
        messageContent: { contentType: 'Normal', message: 'Call dispatch', urgent: true },
      },
    );
    assert.deepEqual(op.dropped_fields, []);
    const record = await call(t, 'GET', `${MESSAGES}/${op.resource_id}`, { token: p.token });
    assert.deepEqual([record.body.source_id, record.body.reply_to_message_id], [op.source_id, first.resource_id]);
  });

  test('priority: high is urgent; low, medium and none are a normal message', async () => {
    for (const [priority, urgent] of [['high', true], ['medium', false], ['low', false], [null, false]] as const) {
      const op = await sent({ sender_id: g.dispatcher.id, recipient_id: g.driver.id, message_text: `p ${priority}`, priority });
      assert.equal((await message(op.source_id)).messageContent.urgent, urgent, String(priority));
    }
  });

  test('refused at submit: no text (Catena makes it optional, Geotab sends none without it), an empty group; an unknown recipient id; nothing reaches Geotab', async () => {
    await g.clearCalls();
    const cases: Array<[string, Json, string, RegExp, string]> = [
      [MESSAGES, {}, 'message_text', /^Geotab sends a text message with text/, 'unsupported_by_tsp'],
      [MESSAGES, { message_text: null }, 'message_text', /non-empty message_text/, 'unsupported_by_tsp'],
      [MESSAGES, { message_text: '  ' }, 'message_text', /non-empty message_text/, 'unsupported_by_tsp'],
      [GROUPS, { recipient_ids: [], message_text: 'x' }, 'recipient_ids', /^Geotab .*at least one recipient_id/, 'unsupported_by_tsp'],
      [GROUPS, { recipient_ids: [g.driver.id] }, 'message_text', /^Geotab sends a text message with text/, 'unsupported_by_tsp'],
      [MESSAGES, { recipient_id: '0190a5f4-0000-7000-8000-000000000000', message_text: 'x' }, 'recipient_id', /no user with this id/, 'not_found'],
    ];
    for (const [path, extra, field, message, errorType] of cases) {
      const recipient = path === MESSAGES ? { recipient_id: g.driver.id } : {};
      const res = await g.write(path, { sender_id: g.dispatcher.id, ...recipient, ...extra }, false);
      assert.equal(res.status, 422, `${JSON.stringify(extra)}: ${res.text}`);
      const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
      assert.ok(problem, `${field} not named: ${res.text}`);
      assert.equal(problem.error_type, errorType);
      assert.match(problem.message, message);
    }
    assert.deepEqual(await g.calls(), []);
  });

  test('the capability catalogue: messages and group messages created, every field stored, the Add:TextMessage class', async () => {
    const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
    const entry = matrix.body.items.find((x: Json) => x.tsp === 'geotab');
    assert.deepEqual([entry.resources.message.create, entry.resources.group_message.create], ['implemented', 'implemented']);
    assert.deepEqual(Object.keys(entry.fields.message), MESSAGE_ATTRIBUTE_NAMES);
    assert.deepEqual(Object.keys(entry.fields.group_message), GROUP_MESSAGE_ATTRIBUTE_NAMES);
    assert.ok(Object.values(entry.fields.message).every(Boolean) && Object.values(entry.fields.group_message).every(Boolean));
    const geotab = adapterFor('geotab')!;
    assert.deepEqual([geotab.resources.message!.rateClass!('create'), geotab.resources.group_message!.rateClass!('create')], ['Add:TextMessage', 'Add:TextMessage']);
    // No TextMessage limit is published: the class keeps the default, no declared class of its own.
    assert.equal(entry.rate_limit_classes['Add:TextMessage'], undefined);
  });

  test('a lost Add answer is retried without a second message: found by sender, recipient and text, adopted', async () => {
    await g.clearCalls();
    await g.fault({ method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' });
    const submitted = await g.write(MESSAGES, { sender_id: g.dispatcher.id, recipient_id: g.driver2.id, message_text: 'Load 4411 is ready' }, false);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
    assert.deepEqual((await g.calls()).filter((c) => c.endsWith('TextMessage')), ['Add TextMessage', 'Get TextMessage']);
    const all = await g.rpc('Get', { typeName: 'TextMessage', search: { recipientSearch: { id: g.driver2.geotab } } });
    assert.deepEqual(all.filter((m: Json) => m.messageContent.message === 'Load 4411 is ready').map((m: Json) => m.id), [done.source_id]);
  });

  test('the lookup adopts only this message: the same text from another sender is not taken for it', async () => {
    const text = 'Gate code 4471';
    const theirs = await g.rpc('Add', {
      typeName: 'TextMessage',
      entity: { user: { id: g.driver.geotab }, recipient: { id: g.driver2.geotab }, isDirectionToVehicle: true, messageContent: { contentType: 'Normal', message: text } },
    });
    await g.fault({ method: 'Add', status: 502, body: 'Bad Gateway' });
    const submitted = await g.write(MESSAGES, { sender_id: g.dispatcher.id, recipient_id: g.driver2.id, message_text: text }, false);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.notEqual(done.source_id, theirs);
    const ours = await message(done.source_id);
    assert.deepEqual([ours.user.id, ours.messageContent.message], [g.dispatcher.geotab, text]);
  });

  test('a group message is one Add per distinct recipient, in order; its source id lists their messages', async () => {
    await g.clearCalls();
    const res = await g.write(GROUPS, { sender_id: g.dispatcher.id, recipient_ids: [g.driver.id, g.driver2.id, g.driver.id], message_text: 'Yard closes at 6', priority: 'high' });
    assert.equal(res.body.status, 'success', res.text);
    assert.deepEqual(await g.calls(), ['Add TextMessage', 'Add TextMessage']);
    const ids = (res.body.source_id as string).split(',');
    const natives = await Promise.all(ids.map(message));
    assert.deepEqual(natives.map((m) => m.recipient.id), [g.driver.geotab, g.driver2.geotab]);
    for (const m of natives) assert.deepEqual([m.user.id, m.messageContent], [g.dispatcher.geotab, { contentType: 'Normal', message: 'Yard closes at 6', urgent: true }]);
  });

  test('a group whose second Add failed: the retry finds the landed message and sends only to the others', async () => {
    const [a, b, c] = [g.driver, g.driver2, await g.user({ is_driver: true })];
    await g.clearCalls();
    // The first Add passes (a fault with nothing to replace); the second is over Geotab's limit.
    await g.control('POST', '/_sandbox/faults', {
      faults: [{ method: 'Add', delay_ms: 0 }, { method: 'Add', headers: { 'retry-after': '1' }, error: { type: 'OverLimitException', message: 'API calls quota exceeded' } }],
    });
    const submitted = await g.write(GROUPS, { sender_id: g.dispatcher.id, recipient_ids: [a.id, b.id, c.id], message_text: 'Fuel card PINs changed' }, false);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['rate_limited', null]);
    assert.match(done.logs[0].error_details, new RegExp(`recipient ${b.geotab} \\(2 of 3\\); sent before it: ${a.geotab} .*a retry sends only to the others`));
    assert.deepEqual(await g.calls(), ['Add TextMessage', 'Add TextMessage', 'Get TextMessage', 'Add TextMessage', 'Add TextMessage']);
    const ids = (done.source_id as string).split(',');
    for (const [i, who] of [a, b, c].entries()) {
      const theirs = await g.rpc('Get', { typeName: 'TextMessage', search: { recipientSearch: { id: who.geotab } } });
      const copies = theirs.filter((m: Json) => m.messageContent.message === 'Fuel card PINs changed');
      assert.deepEqual(copies.map((m: Json) => m.id), [ids[i]], `one message to recipient ${i + 1}`);
    }
  });

  test('a group whose every Add landed but the last answer was lost is adopted whole, nothing sent again', async () => {
    const c = await g.user({ is_driver: true });
    await g.clearCalls();
    await g.control('POST', '/_sandbox/faults', { faults: [{ method: 'Add', delay_ms: 0 }, { method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' }] });
    const submitted = await g.write(GROUPS, { sender_id: g.dispatcher.id, recipient_ids: [g.driver2.id, c.id], message_text: 'Safety meeting 7am' }, false);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.deepEqual(await g.calls(), ['Add TextMessage', 'Add TextMessage', 'Get TextMessage']);
    assert.equal((done.source_id as string).split(',').length, 2);
  });
});
