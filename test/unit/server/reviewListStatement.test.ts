import assert from 'node:assert/strict';
import type { ReviewFilter } from '../../../src/server/store/reviewRecords';
import { listReviewsWithVerdicts } from '../../../src/server/store/reviewPlans';
import type { Query } from '../../../src/server/store/sqlPlan';

/** The statement a plan sends first. */
function firstQuery(filter: ReviewFilter): Extract<Query, { kind: 'rows' }> {
  const step = listReviewsWithVerdicts(filter).next();
  assert.ok(!step.done && step.value.kind === 'rows');
  return step.value;
}

const places = (workspaces: number, envs: string[]) =>
  envs.flatMap((env) =>
    Array.from({ length: workspaces }, (_, i) => ({ workspace: `ws${i}`, env, selfApproval: i % 2 === 0 })),
  );

describe("PostgreSQL's review list statement: one text whatever the lists, so it stays prepared", () => {
  const needsMine = (n: number, hidden: string[]): ReviewFilter => ({
    status: 'open',
    limit: 200,
    hiddenWorkspaces: hidden,
    awaitingApprovalBy: { userId: '7', username: 'rita', places: places(n, ['dev', 'prod']), accessFile: true },
  });

  it('"needs my approval" for a reviewer of 2 workspaces and of 40, hiding 1 or 30: the same text, marked fixed', () => {
    const few = firstQuery(needsMine(2, ['secret']));
    const many = firstQuery(
      needsMine(
        40,
        Array.from({ length: 30 }, (_, i) => `hidden${i}`),
      ),
    );
    assert.equal(many.sql, few.sql);
    assert.equal(few.fixedText, true);
    // The lists travel as array parameters: all 40 workspaces in one value.
    assert.ok(many.params.some((p) => Array.isArray(p) && p.length === 30));
    assert.equal(many.params.filter((p) => Array.isArray(p) && p.includes('ws39')).length, 2, 'one array per env');
  });

  it('a list of my requests is the same text for every author', () => {
    const of = (author: string, hidden: string[]) => firstQuery({ author, limit: 200, hiddenWorkspaces: hidden });
    assert.equal(of('ann', ['a']).sql, of('bob', ['a', 'b', 'c']).sql);
  });
});
