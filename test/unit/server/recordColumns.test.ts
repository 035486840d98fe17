import assert from 'node:assert/strict';
import { Type } from '../../../src/core/schemaTypes';
import { EVALUATION_RUN_COLUMNS } from '../../../src/server/store/reviewRows';
import { recordColumns } from '../../../src/server/store/recordColumns';

describe('recordColumns', () => {
  const Schema = Type.Object({
    id: Type.String(),
    reviewId: Type.String(),
    passRate: Type.Number(),
    createdAt: Type.Integer(),
    passed: Type.Boolean(),
    approvers: Type.Array(Type.String()),
    note: Type.Optional(Type.String()),
  });
  const columns = recordColumns(Schema, ['id']);

  it('names each field but the excepted in snake case, in the definition order', () => {
    assert.deepEqual(columns.names, ['review_id', 'pass_rate', 'created_at', 'passed', 'approvers', 'note']);
    assert.equal(columns.placeholders, '?, ?, ?, ?, ?, ?');
  });

  it('stores a boolean as 0/1, a list as JSON text, an absent optional field as NULL, and reads them back', () => {
    const record = { reviewId: '7', passRate: 0.75, createdAt: 1_700_000_000_000, passed: true, approvers: ['bob'] };
    const values = columns.values(record);
    assert.deepEqual(values, ['7', 0.75, 1_700_000_000_000, 1, '["bob"]', null]);
    // As a driver returns it: PostgreSQL's DOUBLE PRECISION or BIGINT may come back as text.
    const row = Object.fromEntries(columns.names.map((n, i) => [n, values[i]]));
    assert.deepEqual(columns.fromRow({ ...row, pass_rate: '0.75' }), record);
    assert.deepEqual(columns.fromRow({ ...row, passed: 0, note: 'x' }), { ...record, passed: false, note: 'x' });
    // An older row's empty optional text is absent; a string field held in an integer column reads back as text.
    assert.deepEqual(columns.fromRow({ ...row, note: '', review_id: 7 }), record);
  });

  it('gives evaluation runs every field of their definition but the ids', () => {
    assert.deepEqual(EVALUATION_RUN_COLUMNS.names, [
      'revision',
      'sha256',
      'runs',
      'required_pass_rate',
      'passed_runs',
      'judged_runs',
      'passed',
      'cases',
      'model',
      'run_by',
      'created_at',
      'digest',
    ]);
  });
});
