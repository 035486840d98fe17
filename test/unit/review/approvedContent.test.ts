import assert from 'node:assert/strict';
import { planApprovedContent, planRelease, repoPathChain } from '../../../src/core/review/approvedContent';

describe('approved content decisions (pure)', () => {
  const approved = 'a'.repeat(64);
  const committed = 'c'.repeat(64);
  const other = 'e'.repeat(64);

  it('writes the approved bytes only over an absent file or HEAD’s own; never over other local edits', () => {
    const plan = (working: string | undefined, head: string | undefined = committed) =>
      planApprovedContent({ approved, served: approved, working, committed: head }).kind;
    assert.equal(plan(approved), 'in-place');
    assert.equal(plan(undefined), 'write');
    assert.equal(plan(committed), 'write');
    assert.equal(plan(other), 'local-changes');
    assert.equal(plan(other, undefined), 'local-changes', 'an untracked file of other content is kept');
  });

  it('replaces another revision of the review (an earlier checkout: the server keeps it), not anything else', () => {
    const revision1 = 'b'.repeat(64);
    const plan = (working: string) =>
      planApprovedContent({ approved, served: approved, working, committed: undefined, earlier: [revision1, approved] })
        .kind;
    assert.equal(plan(revision1), 'write');
    assert.equal(plan(other), 'local-changes');
  });

  it('refuses server content that does not hash to the head, naming both hashes', () => {
    assert.deepEqual(planApprovedContent({ approved, served: other, working: undefined, committed }), {
      kind: 'damaged',
      approved,
      served: other,
    });
  });

  it('reuses a release of the approved content, signs when there is none, stops on another content', () => {
    assert.deepEqual(planRelease(null, approved), { kind: 'sign' });
    const release = { sha256: approved, id: 'r1' };
    assert.deepEqual(planRelease(release, approved), { kind: 'reuse', release });
    assert.deepEqual(planRelease({ sha256: other }, approved), { kind: 'mismatch', released: other, approved });
  });

  it('lists a path and each folder above it; refuses paths that are not plainly inside the repository', () => {
    assert.deepEqual(repoPathChain('a/b/c.prompt'), ['a', 'a/b', 'a/b/c.prompt']);
    assert.deepEqual(repoPathChain('c.prompt'), ['c.prompt']);
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'C:/x', 'a\\b'])
      assert.equal(repoPathChain(bad), undefined, bad);
  });
});
