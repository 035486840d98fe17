import assert from 'node:assert/strict';
import { IdentityCache } from '../../../src/server/auth/identityCache';

describe('IdentityCache', () => {
  it('answers only under the generation an entry was read under; a moved generation drops every entry', () => {
    const cache = new IdentityCache<{ role: string }>(10);
    assert.equal(cache.get('t', 1), undefined);
    cache.set('t', { role: 'viewer' }, 1);
    assert.deepEqual(cache.get('t', 1), { role: 'viewer' });
    assert.equal(cache.get('t', 2), undefined, 'the generation moved: read again');
    assert.equal(cache.size, 0);
  });

  it('does not keep what was read under a generation another request has since seen move', () => {
    const cache = new IdentityCache<{ role: string }>(10);
    cache.get('t', 1); // request A reads generation 1, then awaits the store
    cache.get('u', 2); // request B sees a change (generation 2) meanwhile
    cache.set('t', { role: 'admin' }, 1); // A's answer may predate that change
    assert.equal(cache.get('t', 2), undefined);
    assert.equal(cache.size, 0);
  });

  it('freezes what it keeps, nested objects included, so no request alters the next one’s identity', () => {
    const cache = new IdentityCache<{ user: { role: string; emails: string[] } }>(10);
    cache.get('t', 1);
    cache.set('t', { user: { role: 'viewer', emails: ['a@example.com'] } }, 1);
    const kept = cache.get('t', 1);
    assert.throws(() => {
      if (kept) kept.user.role = 'admin';
    }, TypeError);
    assert.throws(() => kept?.user.emails.push('b@example.com'), TypeError);
  });

  it('holds at most its capacity, starting over past it', () => {
    const cache = new IdentityCache<{ n: number }>(3);
    cache.get('x', 1);
    for (let n = 0; n < 7; n++) {
      cache.set(`t${n}`, { n }, 1);
      assert.ok(cache.size <= 3);
    }
    assert.deepEqual(cache.get('t6', 1), { n: 6 }, 'the newest is kept');
  });
});
