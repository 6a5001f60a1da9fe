// Form-encoded bodies as Rack reads them for Motive's Rails API (src/sandbox/motive/form-body.ts): nested
// names, the repeated-key rule of `a[][x]`, Rails' boolean casting, and Rack's 400 for clashing names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formBoolean, isFormEncoded, parseFormBody } from '../src/sandbox/motive/form-body.ts';
import { MotiveApiError } from '../src/sandbox/motive/errors.ts';

test('flat, nested and list names read as Rack reads them; "+" and %xx decode', () => {
  const body = parseFormBody('first_name=Ann+Marie&time_zone=Central+Time+(US+%26+Canada)&a[b][c]=1&ids[]=1&ids[]=2&x=');
  assert.deepEqual({ ...body }, { first_name: 'Ann Marie', time_zone: 'Central Time (US & Canada)', a: { b: { c: '1' } }, ids: ['1', '2'], x: '' });
  assert.equal(isFormEncoded(body), true);
  assert.equal(isFormEncoded({ ...body }), false, 'only the parsed body carries the mark');
});

test('a[][x]: keys fill the last hash until one repeats, which starts the next', () => {
  const body = parseFormBody('e[][external_id]=1&e[][integration_name]=a&e[][external_id]=2&e[][integration_name]=b&e[][external_id]=3');
  assert.deepEqual(body.e, [
    { external_id: '1', integration_name: 'a' },
    { external_id: '2', integration_name: 'b' },
    { external_id: '3' },
  ]);
  assert.deepEqual(parseFormBody('e[0][id]=7&e[0][external_id]=x&e[1][external_id]=y').e, { 0: { id: '7', external_id: 'x' }, 1: { external_id: 'y' } });
});

test('a name used as a value and as a nest is a 400', () => {
  for (const raw of ['a=1&a[b]=2', 'a[b]=1&a[]=2', 'a=1&a[]=2']) {
    assert.throws(() => parseFormBody(raw), (err: unknown) => err instanceof MotiveApiError && err.status === 400, raw);
  }
});

test('booleans are cast as ActiveModel casts them: "" is nil, the false spellings are false, other text is true', () => {
  assert.equal(formBoolean(''), null);
  for (const v of ['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']) assert.equal(formBoolean(v), false, v);
  for (const v of ['1', 't', 'true', 'TRUE', 'on', 'yes']) assert.equal(formBoolean(v), true, v);
});

test('a name that would reach a prototype (__proto__, constructor, prototype, at any depth) is a 400 and pollutes nothing', () => {
  for (const raw of ['__proto__[polluted]=yes', 'a[__proto__][polluted]=yes', 'a[][__proto__][polluted]=yes', 'constructor[prototype][polluted]=yes', '__proto__=x']) {
    assert.throws(() => parseFormBody(raw), (err: unknown) => err instanceof MotiveApiError && err.status === 400, raw);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, raw);
  }
  // Names Object.prototype has are read as the body's own, never as inherited members.
  assert.deepEqual({ ...parseFormBody('toString[]=1&hasOwnProperty[a]=2') }, { toString: ['1'], hasOwnProperty: { a: '2' } });
});
