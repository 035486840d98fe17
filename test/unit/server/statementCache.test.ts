import assert from 'node:assert/strict';
import { StatementCache } from '../../../src/server/store/statementCache';

describe('StatementCache: prepared statements by SQL text, bounded', () => {
  const cacheCounting = (capacity: number) => {
    const prepared: string[] = [];
    const cache = new StatementCache(capacity, (sql) => {
      prepared.push(sql);
      return { sql };
    });
    return { cache, prepared };
  };

  it('prepares a text once and answers it from the cache after', () => {
    const { cache, prepared } = cacheCounting(10);
    const first = cache.get('SELECT 1');
    assert.equal(cache.get('SELECT 1'), first);
    assert.deepEqual(prepared, ['SELECT 1']);
  });

  it('never holds more than its capacity, however many texts the lists spell (a page of ids each)', () => {
    const { cache, prepared } = cacheCounting(50);
    for (let n = 1; n <= 1_000; n++) {
      cache.get(`SELECT * FROM review_verdicts WHERE review_id IN (${Array(n).fill('?').join(', ')})`);
      assert.ok(cache.size <= 50, `${cache.size} statements after ${n} texts`);
    }
    assert.equal(prepared.length, 1_000);
  });

  it('a text dropped when it started over is prepared again, and works as before', () => {
    const { cache, prepared } = cacheCounting(2);
    cache.get('a');
    cache.get('b');
    cache.get('c'); // full: starts over with c
    assert.deepEqual(cache.get('a'), { sql: 'a' });
    assert.deepEqual(prepared, ['a', 'b', 'c', 'a']);
    assert.equal(cache.size, 2);
  });
});
