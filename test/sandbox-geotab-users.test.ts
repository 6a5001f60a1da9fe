// The Geotab sandbox's User vocabulary and searches as Geotab's object model documents them (issue 14):
// every HosRuleSet value, real User members kept, each UserSearch criterion honoured or refused, the
// UserHosRuleSet entity, and the methods clients use besides Add/Set/Get (GetCountOf, GetVersion,
// ExecuteMultiCall).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import { HOS_RULESETS } from '../src/sandbox/geotab/vendor.ts';
import { geotabErrorOf, geotabRpc, jsonHttp } from './helpers/sandbox-http.ts';
import type { GeotabAccount, Json } from './helpers/sandbox-http.ts';

let base = '';
let close: () => Promise<void>;
before(async () => {
  const server = await startGeotabSandbox({ port: 0 });
  base = server.url;
  close = server.close;
});
after(async () => close());

/** A fresh database and its admin session: `call(method, params)` adds the credentials. */
async function session() {
  const a = (await jsonHttp(`${base}/_sandbox/accounts`, 'POST')).body as GeotabAccount;
  const auth = await geotabRpc(base, 'Authenticate', { database: a.database, userName: a.userName, password: a.password });
  const credentials = auth.body.result.credentials as Json;
  const call = (method: string, params: Json = {}) => geotabRpc(base, method, { ...params, credentials });
  const add = async (entity: Json): Promise<string> => {
    const res = await call('Add', { typeName: 'User', entity: user(entity) });
    assert.ok(res.body.result, JSON.stringify(res.body));
    return res.body.result as string;
  };
  const search = async (criteria: Json): Promise<string[]> => {
    const res = await call('Get', { typeName: 'User', search: criteria });
    assert.ok(Array.isArray(res.body.result), JSON.stringify(res.body));
    return (res.body.result as Json[]).map((u) => u.name as string).filter((n) => n !== a.userName).sort();
  };
  return { a, credentials, call, add, search };
}

let seq = 0;
const user = (extra: Json = {}): Json => ({
  name: `u${++seq}@fleet.example`,
  password: 'S3cret-pass',
  securityGroups: [{ id: 'GroupDriveUserSecurityId' }],
  companyGroups: [{ id: 'GroupCompanyId' }],
  ...extra,
});

describe('User vocabulary', () => {
  test('every HosRuleSet value Geotab added since the first list is accepted, the 7 Canadian ones among them', async () => {
    const { call, add } = await session();
    const added = [
      'CanadaNorthOf60CycleOneTeam', 'CanadaNorthOf60CycleTwoTeam', 'NoneCanadaNorthOf60', 'CaliforniaPropertyShortHaul',
      'CaliforniaPropertyShortHaulWithRest', 'CanadaOil', 'CanadaNorthOf60Oil', 'CanadaOilTeam', 'CanadaNorthOf60OilTeam',
      'America7DayRailroad', 'America8DayRailroad', 'CanadaBCLoggingTruck',
    ];
    for (const value of added) {
      const id = await add({ hosRuleSet: value });
      assert.equal((await call('Get', { typeName: 'User', search: { id } })).body.result[0].hosRuleSet, value);
    }
    assert.equal(new Set(HOS_RULESETS).size, HOS_RULESETS.length);
    assert.deepEqual(geotabErrorOf(await call('Add', { typeName: 'User', entity: user({ hosRuleSet: 'CanadaCycleThree' }) })), [
      'ArgumentException', "'CanadaCycleThree' is not a valid value of 'hosRuleSet'",
    ]);
  });

  test('real User members the sandbox does not interpret are kept and read back; a wrong JSON type is the serializer\'s', async () => {
    const { call, add } = await session();
    const kept = { authorityName: 'Acme Carriers', authorityAddress: '1 Main St', maxPCDistancePerDay: 75000, phoneNumberExtension: '123', keys: [{ serialNumber: 'K1' }], isMetric: false, language: 'fr' };
    const id = await add(kept);
    const read = (await call('Get', { typeName: 'User', search: { id } })).body.result[0] as Json;
    for (const [k, v] of Object.entries(kept)) assert.deepEqual(read[k], v, k);
    assert.equal(read.password, undefined);
    assert.equal(geotabErrorOf(await call('Add', { typeName: 'User', entity: user({ maxPCDistancePerDay: 'far' }) }))[0], 'JsonSerializerException');
    assert.equal(geotabErrorOf(await call('Add', { typeName: 'User', entity: user({ phoneNumberExtension: '123456' }) }))[0], 'ArgumentException');
    // Set replaces the whole entity: a kept member it leaves out is gone, as a modelled one falls back to its default.
    assert.equal((await call('Set', { typeName: 'User', entity: { ...read, authorityName: undefined } })).body.result, null);
    const after = (await call('Get', { typeName: 'User', search: { id } })).body.result[0] as Json;
    assert.deepEqual([after.authorityName, after.maxPCDistancePerDay], [undefined, 75000]);
  });

  test('every UserAuthenticationType is accepted; only BasicAuthentication needs a password', async () => {
    const { call } = await session();
    for (const type of ['None', 'WindowsAuthentication', 'MyAdmin', 'SAML', 'ClientCertificate']) {
      const res = await call('Add', { typeName: 'User', entity: user({ userAuthenticationType: type, password: undefined }) });
      assert.match(String(res.body.result), /^b/, type);
    }
    assert.equal(geotabErrorOf(await call('Add', { typeName: 'User', entity: user({ password: undefined }) }))[0], 'ArgumentException');
  });
});

describe('UserSearch', () => {
  test('isDriver: true answers drivers only; false does not narrow', async () => {
    const { add, search } = await session();
    await add({ name: 'driver@x.example', isDriver: true });
    await add({ name: 'office@x.example', isDriver: false });
    assert.deepEqual(await search({ isDriver: true }), ['driver@x.example']);
    assert.deepEqual(await search({ isDriver: false }), ['driver@x.example', 'office@x.example']);
  });

  test('text criteria take % wildcards and a leading ! negation, any case', async () => {
    const { add, search } = await session();
    await add({ name: 'ada@x.example', firstName: 'Ada', lastName: 'Lovelace', employeeNo: 'E-100', licenseNumber: 'TX123' });
    await add({ name: 'alan@x.example', firstName: 'Alan', lastName: 'Turing', employeeNo: 'E-200', licenseNumber: 'CA999' });
    assert.deepEqual(await search({ firstName: 'a%' }), ['ada@x.example', 'alan@x.example']);
    assert.deepEqual(await search({ firstName: 'ADA' }), ['ada@x.example']);
    assert.deepEqual(await search({ lastName: '!Lov%' }), ['alan@x.example']);
    assert.deepEqual(await search({ fullName: 'alan turing' }), ['alan@x.example']);
    assert.deepEqual(await search({ employeeNumber: '%100' }), ['ada@x.example']);
    assert.deepEqual(await search({ licenseNumber: 'CA%' }), ['alan@x.example']);
    assert.deepEqual(await search({ name: '%@x.example', firstName: 'Al%' }), ['alan@x.example']);
  });

  test('fromDate/toDate select by the active period; rulesets, authentication types, ids and groups', async () => {
    const { a, add, search, call } = await session();
    const now = Date.now();
    await add({ name: 'gone@x.example', activeFrom: '2020-01-01T00:00:00Z', activeTo: '2021-01-01T00:00:00Z', hosRuleSet: 'CanadaOil' });
    const current = await add({ name: 'here@x.example', hosRuleSet: 'America8Day', driverGroups: [{ id: 'GroupCompanyId' }] });
    await add({ name: 'saml@x.example', userAuthenticationType: 'SAML', password: undefined, securityGroups: [{ id: 'GroupViewOnlySecurityId' }] });
    assert.deepEqual(await search({ fromDate: new Date(now - 60_000).toISOString() }), ['here@x.example', 'saml@x.example']);
    assert.deepEqual(await search({ toDate: '2020-06-01T00:00:00Z' }), ['gone@x.example']);
    assert.deepEqual(await search({ hosRuleSet: 'CanadaOil' }), ['gone@x.example']);
    assert.deepEqual(await search({ hosRuleSets: ['CanadaOil', 'America8Day'] }), ['gone@x.example', 'here@x.example']);
    assert.deepEqual(await search({ authenticationType: 'SAML' }), ['saml@x.example']);
    assert.deepEqual(await search({ userIds: [current] }), ['here@x.example']);
    assert.deepEqual(await search({ securityGroups: [{ id: 'GroupViewOnlySecurityId' }] }), ['saml@x.example']);
    assert.deepEqual(await search({ driverGroups: [{ id: 'GroupCompanyId' }] }), ['here@x.example']);
    const all = await call('Get', { typeName: 'User', search: { companyGroups: [{ id: 'GroupCompanyId' }] } });
    assert.equal(all.body.result.length, 4, a.userName);
    assert.deepEqual(geotabErrorOf(await call('Get', { typeName: 'User', search: { companyGroups: [{ id: 'GroupCompanyId' }], driverGroups: [{ id: 'GroupCompanyId' }] } })), [
      'ArgumentException', 'UserSearch.companyGroups cannot be used with UserSearch.driverGroups',
    ]);
    assert.equal(geotabErrorOf(await call('Get', { typeName: 'User', search: { hosRuleSet: 'Canada' } }))[0], 'JsonSerializerException');
    assert.equal(geotabErrorOf(await call('Get', { typeName: 'User', search: { isDriver: 'yes' } }))[0], 'JsonSerializerException');
  });

  test('a criterion Geotab has but the sandbox does not implement is refused, never ignored', async () => {
    const { call } = await session();
    for (const member of ['keywords', 'userSearchType', 'serialNumber', 'keyId', 'lastLogin', 'welcomeEmailStatus']) {
      assert.deepEqual(geotabErrorOf(await call('Get', { typeName: 'User', search: { [member]: 'x' } })), [
        'ArgumentException', `UserSearch.${member} is not supported by the fleetgate sandbox`,
      ]);
    }
    // A member Geotab's UserSearch does not have is ignored, as its serializer ignores it.
    assert.ok(Array.isArray((await call('Get', { typeName: 'User', search: { colour: 'red' } })).body.result));
  });
});

describe('UserHosRuleSet', () => {
  test('Add and Set of a User record its rulesets; Get by user, id and date', async () => {
    const { call, add } = await session();
    const id = await add({ hosRuleSet: 'America8Day' });
    const entity = (await call('Get', { typeName: 'User', search: { id } })).body.result[0] as Json;
    await call('Set', { typeName: 'User', entity: { ...entity, hosRuleSet: 'CanadaCycleOne' } });
    await call('Set', { typeName: 'User', entity: { ...entity, hosRuleSet: 'CanadaCycleOne', comment: 'same ruleset' } });
    const history = (await call('Get', { typeName: 'UserHosRuleSet', search: { userSearch: { id } } })).body.result as Json[];
    assert.deepEqual(history.map((r) => [r.user.id, r.hosRuleSet]), [[id, 'America8Day'], [id, 'CanadaCycleOne']]);
    assert.deepEqual((await call('Get', { typeName: 'UserHosRuleSet', search: { id: history[1].id } })).body.result, [history[1]]);
    assert.deepEqual((await call('Get', { typeName: 'UserHosRuleSet', search: { userSearch: { id }, fromDate: '2100-01-01T00:00:00Z' } })).body.result, []);
  });

  test('an added record in force now becomes the user\'s ruleset; an older or a future one does not; bad ones are refused', async () => {
    const { call, add } = await session();
    const id = await add({ hosRuleSet: 'America8Day' });
    const ruleSetOf = async () => (await call('Get', { typeName: 'User', search: { id } })).body.result[0].hosRuleSet as string;
    // Older than the user's own record (made by the Add): history, not the ruleset in force.
    await call('Add', { typeName: 'UserHosRuleSet', entity: { user: { id }, hosRuleSet: 'CanadaOil', dateTime: '2020-01-01T00:00:00Z' } });
    assert.equal(await ruleSetOf(), 'America8Day');
    assert.match(String((await call('Add', { typeName: 'UserHosRuleSet', entity: { user: { id }, hosRuleSet: 'CanadaNorthOf60Oil', dateTime: new Date().toISOString() } })).body.result), /^b/);
    assert.equal(await ruleSetOf(), 'CanadaNorthOf60Oil');
    await call('Add', { typeName: 'UserHosRuleSet', entity: { user: { id }, hosRuleSet: { id: 'America7Day' }, dateTime: '2100-01-01T00:00:00Z' } });
    assert.equal(await ruleSetOf(), 'CanadaNorthOf60Oil');
    assert.equal((await call('GetCountOf', { typeName: 'UserHosRuleSet' })).body.result, 5); // the admin's, this user's four
    assert.deepEqual(geotabErrorOf(await call('Add', { typeName: 'UserHosRuleSet', entity: { user: { id: 'bFFFF' }, hosRuleSet: 'America8Day' } })), ['ArgumentException', "User 'bFFFF' does not exist"]);
    assert.equal(geotabErrorOf(await call('Add', { typeName: 'UserHosRuleSet', entity: { user: { id }, hosRuleSet: 'Nope' } }))[0], 'JsonSerializerException');
    assert.deepEqual(geotabErrorOf(await call('Set', { typeName: 'UserHosRuleSet', entity: { id: 'b1' } })), ['ArgumentException', 'Set of UserHosRuleSet is not supported by the fleetgate sandbox']);
    assert.deepEqual(geotabErrorOf(await call('Get', { typeName: 'UserHosRuleSet', search: { userSearch: { name: 'x' } } })), [
      'ArgumentException', 'UserHosRuleSetSearch.userSearch.name is not supported by the fleetgate sandbox',
    ]);
  });
});

describe('GetCountOf, GetVersion, ExecuteMultiCall', () => {
  test('GetCountOf counts the entities of a type; a type it does not count is refused', async () => {
    const { call, add } = await session();
    assert.equal((await call('GetCountOf', { typeName: 'User' })).body.result, 1);
    await add({});
    await add({});
    assert.equal((await call('GetCountOf', { typeName: 'User' })).body.result, 3);
    await call('Add', { typeName: 'Device', entity: { name: 'Truck 1', serialNumber: 'G9A1B2C3D4E5', deviceType: 'GO9', groups: [{ id: 'GroupCompanyId' }] } });
    assert.equal((await call('GetCountOf', { typeName: 'Device' })).body.result, 1);
    assert.equal((await call('GetCountOf', { typeName: 'Trailer' })).body.result, 0);
    assert.equal(geotabErrorOf(await call('GetCountOf', { typeName: 'Zone' }))[0], 'ArgumentException');
  });

  test('GetVersion answers a four-part version, with or without a session', async () => {
    const { call } = await session();
    assert.match((await call('GetVersion')).body.result, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match((await geotabRpc(base, 'GetVersion', {})).body.result, /^\d+\.\d+\.\d+\.\d+$/);
  });

  test('ExecuteMultiCall runs its calls in order and answers their results in order', async () => {
    const { call } = await session();
    const entity = user({ firstName: 'Multi' });
    const res = await call('ExecuteMultiCall', {
      calls: [
        { method: 'Add', params: { typeName: 'User', entity } },
        { method: 'Get', params: { typeName: 'User', search: { name: entity.name } } },
        { method: 'GetCountOf', params: { typeName: 'User' } },
      ],
    });
    const [id, found, count] = res.body.result as [string, Json[], number];
    assert.deepEqual([found[0].id, found[0].firstName, count], [id, 'Multi', 2]);
  });

  test('the first failing call answers for the whole call, its requestIndex naming it; calls before it stay applied', async () => {
    const { call } = await session();
    const entity = user();
    const res = await call('ExecuteMultiCall', {
      calls: [
        { method: 'Add', params: { typeName: 'User', entity } },
        { method: 'Add', params: { typeName: 'User', entity } },
        { method: 'GetCountOf', params: { typeName: 'User' } },
      ],
    });
    assert.equal(res.body.error.data.type, 'DuplicateException');
    assert.deepEqual([res.body.requestIndex, res.body.error.data.requestIndex], [1, 1]);
    assert.equal((await call('GetCountOf', { typeName: 'User' })).body.result, 2);
    for (const nested of ['Authenticate', 'ExecuteMultiCall']) {
      const r = await call('ExecuteMultiCall', { calls: [{ method: 'GetVersion', params: {} }, { method: nested, params: {} }] });
      assert.deepEqual([r.body.error.data.type, r.body.requestIndex], ['ArgumentException', 1], nested);
    }
    assert.equal(geotabErrorOf(await call('ExecuteMultiCall', { calls: 'Get' }))[0], 'ArgumentException');
  });
});
