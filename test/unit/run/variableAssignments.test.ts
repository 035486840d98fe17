import assert from 'node:assert/strict';
import { parseVariableAssignments, VariableAssignmentError } from '../../../src/core/run/variableAssignments';

describe('parseVariableAssignments: --var and --var-json', () => {
  it('keeps --var values as text and parses --var-json values, nested fields included', () => {
    const values = parseVariableAssignments(
      ['n=3', 'customer.name=Ann'],
      ['items=["a","b"]', 'count=3', 'vip=true', 'customer.tags=["x"]', 'meta={"a":{"b":null}}'],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(values)), {
      n: '3',
      customer: { name: 'Ann', tags: ['x'] },
      items: ['a', 'b'],
      count: 3,
      vip: true,
      meta: { a: { b: null } },
    });
  });

  it('refuses JSON that does not parse, naming the option and the variable', () => {
    assert.throws(
      () => parseVariableAssignments([], ['items=[a, b]']),
      (e: unknown) =>
        e instanceof VariableAssignmentError &&
        e.option === 'var-json' &&
        /^items: not valid JSON \(.*\): \[a, b\]$/.test(e.message),
    );
    assert.throws(
      () => parseVariableAssignments([], ['["a"]']),
      (e: unknown) => e instanceof VariableAssignmentError && e.message === 'expected name=JSON, got "[\\"a\\"]"',
    );
  });

  it('refuses a field of a value that is not an object', () => {
    assert.throws(
      () => parseVariableAssignments([], ['items=["a"]', 'items.first="a"']),
      (e: unknown) =>
        e instanceof VariableAssignmentError &&
        e.message === 'items is given both as a value and as an object (items.first)',
    );
    assert.throws(
      () => parseVariableAssignments(['a=1', 'a.b=2']),
      (e: unknown) => e instanceof VariableAssignmentError && e.option === 'var',
    );
  });
});
