// Geotab's own JavaScript client, mg-api-js 3.0.3 (node_modules/mg-api-js), driven unchanged against the
// Geotab sandbox: standalone (`fleetgate simulate geotab`) and embedded in the fleetgate app
// (/sandbox/geotab). mg-api-js always posts to `https://<path>/apiv1/` and drops any port (lib/HttpCall.js
// builds `{hostname, path}` for https.request), so it cannot be pointed at a loopback port or plain HTTP by
// its options. Its requests go out through https.globalAgent, which the tests swap for an agent that
// connects to the sandbox's port in the clear (test/helpers/geotab-hosts.ts): the URL, Host header, body,
// answer parsing, re-authentication and error handling are the client's own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import GeotabApi from 'mg-api-js';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import { startTestApp } from './helpers/app.ts';
import type { TestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { withLoopbackHttps } from './helpers/geotab-hosts.ts';
import { geotabControl, jsonHttp } from './helpers/sandbox-http.ts';
import type { GeotabAccount, Json } from './helpers/sandbox-http.ts';

let seq = 0;
const driver = (extra: Json = {}): Json => ({
  name: `mg${++seq}.${Date.now()}@fleet.example`,
  password: 'S3cret-pass',
  firstName: 'Grace',
  lastName: 'Hopper',
  employeeNo: `E-${seq}`,
  isDriver: true,
  hosRuleSet: 'CanadaNorthOf60CycleOneTeam',
  securityGroups: [{ id: 'GroupDriveUserSecurityId' }],
  companyGroups: [{ id: 'GroupCompanyId' }],
  ...extra,
});

/** A server the client reaches as `https://<host><prefix>/apiv1/`: its control base URL and its client path. */
interface Server {
  port: number;
  control: string;
  /** What mg-api-js takes as `path`: a host name, then the mount path of an embedded sandbox. */
  path: string;
}

async function newAccount(server: Server): Promise<GeotabAccount> {
  return (await jsonHttp(`${server.control}/_sandbox/accounts`, 'POST')).body as GeotabAccount;
}

const client = (a: GeotabAccount, path: string, password = a.password) =>
  new GeotabApi({ credentials: { database: a.database, userName: a.userName, password }, path }, { rememberMe: false, timeout: 10 });

/** What every server must do for Geotab's own client. */
function clientSuite(name: string, server: () => Server) {
  describe(name, () => {
    test('authenticate, add, get by several criteria, set, multi-call', async () => {
      const s = server();
      const a = await newAccount(s);
      await withLoopbackHttps(s.port, async () => {
        const api = client(a, s.path);
        const auth = await api.authenticate();
        assert.deepEqual([auth.credentials.database, auth.path], [a.database, 'ThisServer']);
        const entity = driver();
        const id = (await api.call('Add', { typeName: 'User', entity })) as string;
        await api.call('Add', { typeName: 'User', entity: driver({ isDriver: false, firstName: 'Office' }) });
        const byName = (await api.call('Get', { typeName: 'User', search: { name: entity.name } })) as Json[];
        assert.deepEqual(byName.map((u) => u.id), [id]);
        assert.equal(byName[0].hosRuleSet, 'CanadaNorthOf60CycleOneTeam');
        const drivers = (await api.call('Get', { typeName: 'User', search: { isDriver: true } })) as Json[];
        assert.deepEqual(drivers.map((u) => u.id), [id]);
        const byEmployee = (await api.call('Get', { typeName: 'User', search: { employeeNumber: entity.employeeNo, firstName: 'gr%' } })) as Json[];
        assert.deepEqual(byEmployee.map((u) => u.id), [id]);
        assert.equal(((await api.call('Get', { typeName: 'User', search: { id } })) as Json[])[0].name, entity.name);

        await api.call('Set', { typeName: 'User', entity: { ...byName[0], lastName: 'Murray Hopper', hosRuleSet: 'CanadaOil' } });
        const [users, count, rulesets, version] = await api.multiCall([
          ['Get', { typeName: 'User', search: { id } }],
          ['GetCountOf', { typeName: 'User' }],
          ['Get', { typeName: 'UserHosRuleSet', search: { userSearch: { id } } }],
          ['GetVersion', {}],
        ]);
        assert.equal((users as Json[])[0].lastName, 'Murray Hopper');
        assert.equal(count, 3);
        assert.deepEqual((rulesets as Json[]).map((r) => r.hosRuleSet), ['CanadaNorthOf60CycleOneTeam', 'CanadaOil']);
        assert.match(version as string, /^\d+\.\d+\.\d+\.\d+$/);
      });
    });

    test('the errors the client surfaces: a JSON-RPC error as "<type>: <message>", an HTTP status, a refused login', async () => {
      const s = server();
      const a = await newAccount(s);
      await withLoopbackHttps(s.port, async () => {
        const api = client(a, s.path);
        const entity = driver();
        await api.call('Add', { typeName: 'User', entity });
        await assert.rejects(api.call('Add', { typeName: 'User', entity }), { message: `DuplicateException: Duplicate data: a user named '${entity.name}' already exists` });
        await assert.rejects(api.call('Get', { typeName: 'User', search: { keywords: ['x'] } }), { message: 'ArgumentException: UserSearch.keywords is not supported by the fleetgate sandbox' });
        // The callback form hands over Geotab's error object itself.
        const details = await new Promise<Json>((resolve, reject) => {
          void api.call('Add', { typeName: 'User', entity: driver({ hosRuleSet: 'Nope' }) }, () => reject(new Error('accepted')), (_m, d: Json) => resolve(d));
        });
        assert.equal(details.data.type, 'ArgumentException');

        // Three Add:User calls so far (refused ones count): the fourth is the last the window admits.
        await geotabControl(s.control, a, 'PUT', '/_sandbox/settings', { add_user_per_minute: 4 });
        await api.call('Add', { typeName: 'User', entity: driver() });
        await assert.rejects(api.call('Add', { typeName: 'User', entity: driver() }), /^Error: OverLimitException: API calls quota exceeded/);

        await geotabControl(s.control, a, 'POST', '/_sandbox/faults', { faults: [{ method: 'Get', status: 503, body: { message: 'Service Unavailable' } }] });
        await assert.rejects(api.call('Get', { typeName: 'User', resultsLimit: 1 }), { message: 'Response 503 - Service Unavailable' });

        await assert.rejects(client(a, s.path, 'wrong-password').authenticate(), { message: 'InvalidUserException: Incorrect login credentials' });
      });
    });

    test('an expired session: the client authenticates again once and the call goes through', async () => {
      const s = server();
      const a = await newAccount(s);
      await withLoopbackHttps(s.port, async () => {
        const api = client(a, s.path);
        // The first call authenticates (without rememberMe, authenticate() alone does not give the client a session).
        await api.call('Get', { typeName: 'User', resultsLimit: 1 });
        await geotabControl(s.control, a, 'POST', '/_sandbox/expire-sessions');
        assert.equal(((await api.call('Get', { typeName: 'User', resultsLimit: 1 })) as Json[]).length, 1);
        const log = (await geotabControl(s.control, a, 'GET', '/_sandbox/requests')).requests as Json[];
        assert.deepEqual(log.map((r) => r.method), ['Authenticate', 'Get', 'Get', 'Authenticate', 'Get']);
        assert.equal(log[2].response.error.data.type, 'InvalidUserException');
      });
    });
  });
}

let standalone: Awaited<ReturnType<typeof startGeotabSandbox>>;
let app: TestApp;
before(async () => {
  standalone = await startGeotabSandbox({ port: 0 });
  // The sandbox keeps no rows in fleetgate's database; the app runs on PostgreSQL when the suite has one.
  app = await startTestApp(testDbKinds().at(-1)!);
});
after(async () => {
  await standalone.close();
  await app.close();
});

const portOf = (url: string) => Number(new URL(url).port);
clientSuite('standalone sandbox (fleetgate simulate geotab)', () => ({ port: portOf(standalone.url), control: standalone.url, path: 'my.geotab.test' }));
clientSuite('embedded sandbox (/sandbox/geotab of the fleetgate app)', () => ({
  port: portOf(app.url),
  control: `${app.url}/sandbox/geotab`,
  path: 'fleetgate.test/sandbox/geotab',
}));

describe('a moved database (standalone)', () => {
  test('the client follows the host name Authenticate answers and sends every later call there', async () => {
    const s = { port: portOf(standalone.url), control: standalone.url };
    const a = await newAccount({ ...s, path: '' });
    await geotabControl(s.control, a, 'PUT', '/_sandbox/settings', { redirect_to: 'my1001.geotab.test' });
    await withLoopbackHttps(s.port, async () => {
      const api = client(a, 'my.geotab.test');
      assert.equal((await api.authenticate()).path, 'my1001.geotab.test');
      const id = (await api.call('Add', { typeName: 'User', entity: driver() })) as string;
      assert.equal(((await api.call('Get', { typeName: 'User', search: { id } })) as Json[]).length, 1);
    });
    const log = (await geotabControl(s.control, a, 'GET', '/_sandbox/requests')).requests as Json[];
    // authenticate() moved the client; its first call authenticates again there, where the answer is "ThisServer".
    assert.deepEqual(log.map((r) => `${r.host} ${r.method} ${r.response.result?.path ?? ''}`.trim()), [
      'my.geotab.test Authenticate my1001.geotab.test', 'my1001.geotab.test Authenticate ThisServer', 'my1001.geotab.test Add', 'my1001.geotab.test Get',
    ]);
  });
});
