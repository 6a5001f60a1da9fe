// The Samsara sandbox's vocabulary is generated from the official SDK (tools/samsara-vocabulary.ts): the
// committed table must be exactly what the installed SDK yields, so an SDK upgrade fails here until the
// table is regenerated and its diff reviewed. The adapter's own value lists are held to the same SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Samsara } from '@samsarahq/samsara';
import { renderVocabulary, samsaraSdkVocabulary, SDK_ROOTS } from '../tools/samsara-sdk-reader.ts';
import { SAMSARA_SDK } from '../src/sandbox/samsara/sdk-vocabulary.ts';
import { SAMSARA_CYCLES, SAMSARA_LOCALES, SAMSARA_RESTARTS, SAMSARA_RESTBREAKS } from '../src/tsps/samsara/native.ts';

const sdkRoot = dirname(createRequire(import.meta.url).resolve('@samsarahq/samsara/package.json'));
const installed = samsaraSdkVocabulary(sdkRoot);

test('the committed table is what the installed SDK yields (re-run npm run sandbox:samsara-vocabulary if not)', () => {
  assert.equal(SAMSARA_SDK.version, installed.version);
  assert.deepEqual(SAMSARA_SDK, installed);
  const file = new URL('../src/sandbox/samsara/sdk-vocabulary.ts', import.meta.url);
  assert.equal(readFileSync(file, 'utf8'), renderVocabulary(installed));
});

test('every object names the SDK file it came from, and the roots are all there', () => {
  for (const name of Object.keys(SDK_ROOTS)) assert.ok(Object.hasOwn(SAMSARA_SDK.objects, name), name);
  for (const [name, object] of Object.entries(SAMSARA_SDK.objects)) {
    assert.match(object.source, /^dist\/cjs\/api\/.+\.d\.ts$/, name);
    assert.ok(readFileSync(`${sdkRoot}/${object.source}`, 'utf8').includes(`interface ${name}`), `${object.source} declares ${name}`);
  }
});

test('the facts issue 14 corrected read off the SDK as corrected', () => {
  const { CreateDriverRequest, UpdateDriverRequest, Driver, UsDriverRulesetOverride } = SAMSARA_SDK.objects;
  for (const o of [CreateDriverRequest, UpdateDriverRequest, Driver]) assert.equal(Object.hasOwn(o.fields, 'email'), false);
  for (const f of ['eldDayStartHour', 'hosSetting', 'vehicleGroupTagId', 'trailerGroupTagId', 'peerGroupTagId', 'attributes', 'currentIdCardCode',
    'hasDrivingFeaturesHidden', 'hasVehicleUnpinningEnabled', 'profileImageBase64', 'profileImageUrl', 'staticAssignedVehicleId', 'tachographCardNumber']) {
    assert.ok(Object.hasOwn(CreateDriverRequest.fields, f) && Object.hasOwn(UpdateDriverRequest.fields, f), f);
  }
  assert.ok(Object.hasOwn(UpdateDriverRequest.fields, 'deactivatedAtTime') && !Object.hasOwn(CreateDriverRequest.fields, 'deactivatedAtTime'));
  assert.ok(Object.hasOwn(Driver.fields, 'tags') && !Object.hasOwn(Driver.fields, 'tagIds'));
  // Nothing in the driver requests is nullable; the override's docstring documents its null clear.
  const nullable = Object.entries(UpdateDriverRequest.fields).filter(([, f]) => f.nullable || f.clearedByNull).map(([k]) => k);
  assert.deepEqual(nullable, ['usDriverRulesetOverride']);
  const state = UsDriverRulesetOverride.fields.usStateToOverride.type;
  assert.deepEqual(state.kind === 'enum' && state.values, ['', 'AK', 'CA', 'FL', 'NE', 'NC', 'OK', 'OR', 'SC', 'TX', 'WI']);
});

test("the adapter's value lists are the SDK's runtime enums, in its order", () => {
  assert.deepEqual([...SAMSARA_CYCLES], Object.values(Samsara.UsDriverRulesetOverride.Cycle));
  assert.deepEqual([...SAMSARA_RESTARTS], Object.values(Samsara.UsDriverRulesetOverride.Restart));
  assert.deepEqual([...SAMSARA_RESTBREAKS], Object.values(Samsara.UsDriverRulesetOverride.Restbreak));
  assert.deepEqual([...SAMSARA_LOCALES], Object.values(Samsara.CreateDriverRequest.Locale));
});
