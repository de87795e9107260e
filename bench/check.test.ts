import { describe, expect, it } from 'vitest';
import { assertSameData, dataOf, WrongAnswer } from './check.ts';

describe('benchmark answer checks', () => {
  const expected = { case: { caseNumber: 'C000000001', subjects: { nodes: [{ id: 'W000000001' }, { id: 'W000000002' }] } } };

  it('accepts the same data with keys in another order', () => {
    expect(() =>
      assertSameData({ case: { subjects: { nodes: [{ id: 'W000000001' }, { id: 'W000000002' }] }, caseNumber: 'C000000001' } }, expected),
    ).not.toThrow();
  });

  it.each([
    ['a wrong value', { case: { caseNumber: 'C000000002', subjects: expected.case.subjects } }, 'data.case.caseNumber'],
    ['a missing item', { case: { caseNumber: 'C000000001', subjects: { nodes: [{ id: 'W000000001' }] } } }, 'expected 2 items'],
    [
      'items out of order',
      { case: { caseNumber: 'C000000001', subjects: { nodes: [{ id: 'W000000002' }, { id: 'W000000001' }] } } },
      'data.case.subjects.nodes[0].id',
    ],
    ['an extra field', { case: { ...expected.case, title: 'x' } }, 'expected keys'],
    ['null instead of an object', { case: null }, 'expected an object'],
    ['an object instead of a list', { case: { caseNumber: 'C000000001', subjects: { nodes: {} } } }, 'expected a list'],
  ])('refuses %s', (_, actual, message) => {
    expect(() => assertSameData(actual, expected)).toThrow(WrongAnswer);
    expect(() => assertSameData(actual, expected)).toThrow(message);
  });

  it.each([
    ['a non-200 status', 502, '{"data":{}}', 'HTTP 502'],
    ['a body that is not JSON', 200, '<html>', 'not JSON'],
    ['GraphQL errors beside data', 200, '{"data":{"a":1},"errors":[{"message":"boom"}]}', 'boom'],
    ['null data', 200, '{"data":null}', 'no data'],
  ])('refuses %s', (_, status, text, message) => {
    expect(() => dataOf(status, text)).toThrow(message);
  });

  it('returns the data of a good answer', () => {
    expect(dataOf(200, '{"data":{"a":1}}')).toEqual({ a: 1 });
  });
});
