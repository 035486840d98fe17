import assert from 'node:assert/strict';
import { caseInput, headEvaluation } from '../../../src/core/eval/headEvaluation';

const run = (id: string, revision: number, sha256: string) => ({ id, revision, sha256 });

describe('headEvaluation', () => {
  const head = { revision: 2, sha256: 'b'.repeat(64) };

  it('takes the newest run of exactly the head, and the newest other one as outdated', () => {
    const runs = [run('1', 1, 'a'.repeat(64)), run('2', 2, head.sha256), run('3', 2, head.sha256)];
    assert.deepEqual(headEvaluation(runs, head), { latest: runs[2], outdated: runs[0] });
  });

  it('a run of an older revision is only outdated: the head has no run', () => {
    const runs = [run('1', 1, 'a'.repeat(64))];
    assert.deepEqual(headEvaluation(runs, head), { latest: undefined, outdated: runs[0] });
  });

  it('a run of the same revision number with other content does not count for the head', () => {
    const runs = [run('1', 2, 'c'.repeat(64))];
    assert.equal(headEvaluation(runs, head).latest, undefined);
    assert.equal(headEvaluation(runs, head).outdated, runs[0]);
  });

  it('no runs: neither', () => {
    assert.deepEqual(headEvaluation([], head), { latest: undefined, outdated: undefined });
  });

  it('shows a case input as its values in JSON', () => {
    assert.equal(caseInput({ input: 'hello', n: 2 }), '{"input":"hello","n":2}');
  });
});
