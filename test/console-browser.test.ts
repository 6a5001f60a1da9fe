// The operations console in a real browser: Debian's chromium driven by playwright-core (no browser
// download). One launch for the file; a fresh context per scenario. Sign in, filter, open an
// operation, retry it and see it succeed, watch a live update arrive, operator sign-in, phone width.
// CONSOLE_SCREENSHOTS=<dir> also saves a picture of each page at 1280 px and at phone width (docs/console/).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { matchChange, placeChange } from '../src/console/js/live-match.js';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import { CONSOLE_CSP } from '../src/http/routes/console.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { startReceiver } from './helpers/receiver.ts';

// The page's live-row decision, in node (no browser needed): what a feed change means for a filtered list.
test('a live change is matched on every filter it carries; one it cannot answer marks the list out of date', () => {
  const change = {
    id: 'op-new', partner_id: 'pa', connection_id: 'c1', source_name: 'motive', resource: 'users', operation_type: 'create',
    status: 'pending', attempts: 0, created_at: '2026-01-02T10:00:00.000Z', updated_at: '2026-01-02T10:00:00.000Z',
  };
  const q = (query: string) => new URLSearchParams(query);
  assert.equal(matchChange(q('status=pending&operation=create'), change), 'match');
  assert.equal(matchChange(q('partner_ids=pb,pa'), change), 'match');
  assert.equal(matchChange(q('partner_ids=pb'), change), 'miss', 'another partner\'s');
  assert.equal(matchChange(q('from_datetime=2026-01-02T10:00:00.000Z&to_datetime=2026-01-02T11:00:00.000Z'), change), 'match', 'from is inclusive');
  assert.equal(matchChange(q('to_datetime=2026-01-02T10:00:00.000Z'), change), 'miss', 'to is exclusive');
  assert.equal(matchChange(q('from_datetime=2026-01-02T10:00:01.000Z'), change), 'miss');
  assert.equal(matchChange(q('fleet_refs=f1&size=10'), change), 'unknown');
  assert.equal(matchChange(q('source_id=x&status=failed'), change), 'miss', 'a miss decides');

  const page = { items: [{ created_at: '2026-01-02T09:00:00.000Z' }, { created_at: '2026-01-02T09:30:00.000Z' }], onLastPage: true, loadedAt: 0 };
  assert.equal(placeChange(q(''), change, page), 'append', 'created after the newest row, on the last page');
  assert.equal(placeChange(q(''), change, { ...page, onLastPage: false }), 'ignore', 'a new one belongs on a later page');
  assert.equal(placeChange(q('fleet_refs=f1'), change, page), 'stale', 'cannot tell: refresh, not append');
  assert.equal(placeChange(q('partner_ids=pb'), change, page), 'ignore');
  // A retried operation created within the page's span but not on it: never announced as new.
  const retried = { ...change, created_at: '2026-01-02T09:15:00.000Z', updated_at: '2026-01-02T10:05:00.000Z', attempts: 1 };
  assert.equal(placeChange(q('status=pending'), retried, page), 'stale');
  assert.equal(placeChange(q('status=pending'), { ...retried, created_at: '2026-01-01T00:00:00.000Z' }, page), 'ignore', 'on an earlier page');
  assert.equal(placeChange(q(''), retried, { items: [], onLastPage: true, loadedAt: Date.parse('2026-01-02T09:50:00.000Z') }), 'stale', 'an empty page: created before it loaded');
});

const CHROMIUM = '/usr/bin/chromium';
const present = fs.existsSync(CHROMIUM);
const ADMIN = 'browser-admin-token-0123456789';
const SHOTS = process.env.CONSOLE_SCREENSHOTS;
const PHONE = { width: 390, height: 844 };

let browser: Browser | undefined;

before(async () => {
  if (!present) return;
  // launch() gives the browser a fresh user-data-dir of its own (a temporary profile, removed on close).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
});
after(async () => {
  await browser?.close();
});

/** A page whose script errors and CSP violations fail the test (a blocked script shows as a console error). */
async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  return { page, errors };
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const USER = (lastName: string) => ({ first_name: 'Dana', last_name: lastName, phone_country_code: '+1' });

// CI (.ci/run) installs chromium and sets FLEETGATE_REQUIRE_BROWSER: there a missing browser fails the
// suite instead of passing it without the real-browser tests.
test('a browser is present where one is required', { skip: process.env.FLEETGATE_REQUIRE_BROWSER ? false : 'FLEETGATE_REQUIRE_BROWSER is unset' }, () => {
  assert.ok(present, `${CHROMIUM} is absent but FLEETGATE_REQUIRE_BROWSER is set`);
});

for (const kind of testDbKinds()) {
  describe(`console in chromium (${kind})`, { skip: present ? false : `${CHROMIUM} is absent (bash .ci/run installs Debian's chromium)` }, () => {
    let t: TestApp;
    let worker: Worker;
    let p: Partner;
    let m: MotiveFixture;
    let failed: { id: string; status: string };
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    const write = async (lastName: string) => {
      const res = await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: { connection_id: m.connectionId, ...USER(lastName) } });
      assert.equal(res.status, 202, res.text);
      return waitForOperation(t, p, m.connectionId, res.body.id);
    };

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_ADMIN_TOKEN: ADMIN, FLEETGATE_RETRY_BASE_MS: '50', FLEETGATE_MAX_ATTEMPTS: '1' } });
      worker = startWorker(t.services, { pollMs: 25 });
      p = await newPartner(t);
      m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      receiver = await startReceiver(() => 204);
      const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: receiver.url, event_name: 'resource_operation.succeeded', secret: 'whsec-console-test-0123456789' } });
      assert.equal(hook.status, 200, hook.text);
      assert.equal((await write('Smith')).status, 'success');
      assert.equal((await write('Jones')).status, 'success');
      // Refused once by the TSP: failed (one attempt allowed), and a retry then succeeds.
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed: Phone is invalid' } });
      failed = await write('Refused');
      assert.equal(failed.status, 'failed');
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await receiver?.close();
    });

    test('a partner signs in, filters, opens a failed operation, retries it and sees it succeed, and watches a new one arrive live', async () => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const { page, errors } = await openPage(context);
      const res = await page.goto(`${t.url}/console`);
      assert.equal(res?.headers()['content-security-policy'], CONSOLE_CSP);
      await shot(page, 'signin-1280');
      // Keyboard first: the skip link, then the brand link, then the partner form's fields, in order.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'client_id', 'the section links are hidden until sign-in');

      await page.getByLabel('Client ID').fill(p.clientId);
      await page.getByLabel('Client secret').fill(p.clientSecret);
      await page.getByRole('button', { name: 'Sign in as partner' }).click();
      await page.getByRole('heading', { name: 'Operations' }).waitFor();
      await page.getByText('3 operations match.').waitFor();
      await page.locator('.live[data-state="live"]').waitFor();
      await shot(page, 'operations-1280');

      // Filter: failed only, through the form built from the API's own parameters.
      await page.getByLabel('Status', { exact: true }).selectOption('failed');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('1 operation match.').waitFor();
      assert.match(page.url(), /#\/operations\?status=failed$/);
      assert.equal(await page.locator('tbody tr').count(), 1);

      await page.getByRole('link', { name: new RegExp(`Operation ${failed.id.slice(0, 8)}`) }).click();
      await page.getByRole('heading', { name: `Operation ${failed.id.slice(0, 8)}` }).waitFor();
      // The attempt on the drawn timeline, its status code and error text in the table, what was sent.
      await page.locator('svg.timeline rect').first().waitFor();
      assert.equal(await page.locator('svg.timeline rect').count(), 1);
      assert.match(await page.locator('svg.timeline desc').textContent() ?? '', /attempt 1: failed 422 validation/);
      await page.getByText('Validation failed: Phone is invalid').first().waitFor();
      assert.match(await page.locator('pre.json').nth(1).textContent() ?? '', /"last_name": "Refused"/);
      await shot(page, 'operation-failed-1280');

      await page.getByRole('button', { name: 'Retry', exact: true }).click();
      // The feed tells the page the operation changed: its badge turns to success without a reload.
      await page.locator('.op-head .badge-success').waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('svg.timeline rect').count(), 2, 'the retry is a second attempt on the timeline');
      assert.equal((await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${failed.id}`, { token: p.token })).body.status, 'success');
      await shot(page, 'operation-retried-1280');

      // Live: a write made elsewhere appears in the list while it is open.
      await page.getByRole('link', { name: '← Operations' }).click();
      await page.locator('.live[data-state="live"]').waitFor();
      const fresh = await write('Live');
      await page.locator(`tr[data-id="${fresh.id}"] .badge-success`).waitFor({ timeout: 15_000 });

      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByText(/\d+ \/ 100000 per min/).waitFor();
      await page.getByRole('table', { name: 'Motive capabilities' }).waitFor();
      await shot(page, 'connections-1280');

      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('button', { name: 'Deliveries' }).click();
      await page.getByRole('table', { name: 'Delivery attempts' }).waitFor();
      await page.getByRole('button', { name: /Replay dead letters \(0\)/ }).waitFor();
      await shot(page, 'webhooks-1280');

      await page.getByRole('link', { name: 'Charts' }).click();
      await page.locator('svg.chart').nth(3).waitFor();
      assert.match(await page.locator('.legend li').first().textContent() ?? '', /motive: \d+ writes/);
      await shot(page, 'charts-1280');

      // The token stays in this tab's sessionStorage: no cookie, nothing in the URL.
      assert.deepEqual(await context.cookies(), []);
      assert.doesNotMatch(page.url(), new RegExp(p.token.slice(-20)));
      assert.deepEqual(errors, []);
      await context.close();
    });

    test('at phone width every page fits the screen and the sections stay reachable', async () => {
      const context = await browser!.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      const { page, errors } = await openPage(context);
      await page.goto(`${t.url}/console`);
      await shot(page, 'signin-phone');
      await page.getByLabel('Client ID').fill(p.clientId);
      await page.getByLabel('Client secret').fill(p.clientSecret);
      await page.getByRole('button', { name: 'Sign in as partner' }).click();
      const fits = async (name: string) => {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `${name}: the page is ${width} px wide on a ${PHONE.width} px screen`);
        await shot(page, `${name}-phone`);
      };
      await page.getByText(/\d+ operations match\./).waitFor();
      await fits('operations');
      await page.locator('tbody tr a').first().click();
      await page.locator('svg.timeline').waitFor();
      await fits('operation');
      for (const [link, ready] of [['Connections', 'table'], ['Webhooks', 'table'], ['Charts', 'svg.chart']] as const) {
        await page.getByRole('link', { name: link }).click();
        await page.locator(ready).first().waitFor();
        await fits(link.toLowerCase());
      }
      assert.deepEqual(errors, []);
      await context.close();
    });

    test('the operator signs in with the admin token and sees every partner', async () => {
      const other = await newPartner(t);
      const o = await motiveConnection(t, other, { rate_limit_per_minute: 100_000 });
      const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: other.token, json: { connection_id: o.connectionId, ...USER('Other') } });
      assert.equal(res.status, 200, res.text);

      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const { page, errors } = await openPage(context);
      await page.goto(`${t.url}/console`);
      await page.getByLabel('Admin token').fill('not-the-admin-token-000');
      await page.getByRole('button', { name: 'Sign in as operator' }).click();
      await page.getByText('Those credentials were refused.').waitFor();
      await page.getByLabel('Admin token').fill(ADMIN);
      await page.getByRole('button', { name: 'Sign in as operator' }).click();
      await page.getByText('Operator (every partner)').waitFor();
      // Every partner's operations, with the operator list's partner filter among the form's.
      const all = (await call(t, 'GET', '/admin/v1/resource-operations', { headers: { authorization: `Bearer ${ADMIN}` } })).body.total;
      await page.getByText(`${all} operations match.`).waitFor();
      await page.getByLabel('Partner ids').fill(other.partnerId);
      // The filtered list's feed is narrowed to the same partners by the server.
      const feed = page.waitForRequest((r) => r.url().includes('/admin/v1/resource-operations/events'));
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('1 operation match.').waitFor();
      assert.deepEqual(new URL((await feed).url()).searchParams.getAll('partner_ids'), [other.partnerId]);
      await page.locator('tbody tr a').first().click();
      await page.getByText(other.partnerId).waitFor();
      await page.locator('svg.timeline rect').first().waitFor();
      await shot(page, 'operator-operation-1280');
      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByText('2 connections.').waitFor();
      // Another partner's webhook: its delivery log, metrics and replay, through the operator's routes.
      const hookRead = page.waitForResponse((r) => /\/admin\/v1\/webhooks\/[^/]+\/logs/.test(r.url()) && r.status() === 200);
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('button', { name: 'Deliveries' }).first().click();
      await hookRead;
      await page.getByRole('table', { name: 'Delivery attempts' }).waitFor();
      await page.getByRole('button', { name: /Replay dead letters/ }).waitFor();
      await page.getByRole('link', { name: 'Charts' }).click();
      // Both partners' writes.
      await page.getByText(new RegExp(`^motive: ${all} writes`)).first().waitFor();
      await shot(page, 'operator-charts-1280');
      assert.deepEqual(await context.cookies(), []);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
