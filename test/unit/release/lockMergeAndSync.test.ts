import assert from 'node:assert/strict';
import {
  chooseReleaseBranch,
  contentSha256,
  mergeReleaseLocks,
  parseReleaseLock,
  planUpstreamSync,
  serializeReleaseLock,
} from '../../../src/core/release';
import { releaseFor } from '../../support/releaseFixtures';

const a1 = releaseFor('prompts/a.prompt', 'A1');
const a2 = releaseFor('prompts/a.prompt', 'A2', { reviewId: 'r-2' });
const a3 = releaseFor('prompts/a.prompt', 'A3', { reviewId: 'r-3' });
const aDev = releaseFor('prompts/a.prompt', 'A-dev', { env: 'dev' });
const b1 = releaseFor('prompts/b.prompt', 'B1');
const lock = (...r: Parameters<typeof serializeReleaseLock>[0]) => serializeReleaseLock(r);
const releasesOf = (text: string) => parseReleaseLock(text).entries!.map((e) => e.release);

describe('release lock three-way merge (replaying a publish on a new tip)', () => {
  it('keeps both sides’ new entries: two publishers, two prompts', () => {
    const merged = mergeReleaseLocks(lock(a1), lock(a2), lock(a1, b1));
    assert.equal(merged.kind, 'merged');
    assert.deepEqual(releasesOf(merged.kind === 'merged' ? merged.text : ''), [a2, b1]);
  });

  it('keys by path and env: the same prompt in another env is another entry', () => {
    const merged = mergeReleaseLocks(undefined, lock(a1), lock(aDev));
    assert.deepEqual(releasesOf(merged.kind === 'merged' ? merged.text : ''), [aDev, a1]);
  });

  it('takes an entry both sides changed identically, and a removal made on one side', () => {
    assert.deepEqual(mergeReleaseLocks(lock(a1), lock(a2), lock(a2)), { kind: 'merged', text: lock(a2) });
    assert.deepEqual(mergeReleaseLocks(lock(a1, b1), lock(a1, b1), lock(b1)), { kind: 'merged', text: lock(b1) });
  });

  it('stops on the same entry changed differently, naming path and env', () => {
    const merged = mergeReleaseLocks(lock(a1, b1), lock(a2, b1), lock(a3));
    assert.deepEqual(merged, {
      kind: 'conflict',
      conflicts: [{ path: 'prompts/a.prompt', env: 'prod', ours: a2, theirs: a3 }],
    });
  });

  it('refuses a damaged lock with file, line and field', () => {
    assert.throws(
      () => mergeReleaseLocks('', lock(a1), 'version: 1\nreleases:\n  - path: 3\n'),
      /published\.yaml:3:\d+ releases\[0\]\.path/,
    );
  });
});

describe('upstream sync plan (which local changes a fast-forward may reset)', () => {
  const h = contentSha256;
  it('resets a local change that upstream published, keeps untouched ones, blocks a differing one', () => {
    const plan = planUpstreamSync(
      [
        { path: 'prompts/a.prompt', working: h('A1'), head: h('A0'), upstream: h('A1') },
        { path: 'prompts/c.prompt', working: h('C1'), head: h('C0'), upstream: h('C0') },
        { path: 'notes.txt', working: h('N1'), head: undefined, upstream: h('N1') },
        { path: 'prompts/d.prompt', working: h('mine'), head: h('D0'), upstream: h('theirs') },
      ],
      [a1],
    );
    assert.deepEqual(
      plan.verdicts.map((v) => [v.path, v.verdict]),
      [
        ['prompts/a.prompt', 'published-upstream'],
        ['prompts/c.prompt', 'untouched'],
        ['notes.txt', 'same-as-upstream'],
        ['prompts/d.prompt', 'differs'],
      ],
    );
    assert.deepEqual(plan.reset, ['prompts/a.prompt', 'notes.txt']);
    assert.deepEqual(plan.blocking, ['prompts/d.prompt']);
  });

  it('a local deletion of a file upstream also deleted is the same as upstream', () => {
    const plan = planUpstreamSync([{ path: 'x.prompt', working: undefined, head: h('X'), upstream: undefined }], []);
    assert.deepEqual(plan.reset, ['x.prompt']);
  });
});

describe('release branch', () => {
  it('is the access file’s, else the remote’s default, else the current branch', () => {
    assert.equal(chooseReleaseBranch({ configured: 'release', remoteDefault: 'main', current: 'x' }), 'release');
    assert.equal(chooseReleaseBranch({ remoteDefault: 'main', current: 'x' }), 'main');
    assert.equal(chooseReleaseBranch({ current: 'x' }), 'x');
    assert.equal(chooseReleaseBranch({}), undefined);
  });
});
