import assert from 'node:assert/strict';
import { publishBlockers } from '../../../src/extension/reviews/publishBlockers';
import type { ReviewDto } from '../../../src/shared/api/reviews';

type Shown = Pick<ReviewDto, 'status' | 'approval' | 'evaluation'>;

const EVALUATION = 'The approval rule … requires a passing evaluation …; none has run. Run the evaluation: …';

function review(opts: { counted?: string[]; changesBy?: string[]; evaluated?: boolean; required?: boolean }): Shown {
  const counted = opts.counted ?? [];
  const required = opts.required ?? true;
  return {
    status: 'open',
    approval: {
      rule: { required: 2, from: ['reviewer', 'publisher'], selfApproval: false },
      met: counted.length >= 2 && !opts.changesBy?.length,
      counted,
      ignored: [],
      changesRequestedBy: opts.changesBy ?? [],
    },
    evaluation: {
      required,
      passRate: 1,
      runs: 1,
      met: !required || !!opts.evaluated,
      reason: opts.evaluated ? 'Evaluation run #1 … passed.' : required ? EVALUATION : '',
      budgetMs: 60_000,
      latest: null,
      outdated: null,
    },
  };
}

describe('publishBlockers (the review panel)', () => {
  it('approvals missing and no run: both, each once, the evaluation first', () => {
    assert.deepEqual(publishBlockers(review({ counted: ['bob'] })), [
      EVALUATION,
      '1 more approval from reviewer or publisher (1 of 2 so far).',
    ]);
  });

  it('approvals met: only the evaluation', () => {
    assert.deepEqual(publishBlockers(review({ counted: ['bob', 'carol'] })), [EVALUATION]);
  });

  it('evaluation passed (or not required): only the approvals', () => {
    assert.deepEqual(publishBlockers(review({ evaluated: true })), [
      '2 more approvals from reviewer or publisher (0 of 2 so far).',
    ]);
    assert.deepEqual(publishBlockers(review({ required: false, counted: ['bob'] })), [
      '1 more approval from reviewer or publisher (1 of 2 so far).',
    ]);
  });

  it('requested changes come first, then the evaluation, then the approvals still missing', () => {
    assert.deepEqual(publishBlockers(review({ counted: ['bob'], changesBy: ['dave'] })), [
      'Changes were requested by dave: a new revision, or their approval, is needed.',
      EVALUATION,
      '1 more approval from reviewer or publisher (1 of 2 so far).',
    ]);
    // Enough approvals, held back only by the request: said once, as the request.
    assert.deepEqual(publishBlockers(review({ counted: ['bob', 'carol'], changesBy: ['dave'] })), [
      'Changes were requested by dave: a new revision, or their approval, is needed.',
      EVALUATION,
    ]);
  });

  it('nothing once it is published or withdrawn, and nothing when all is met', () => {
    assert.deepEqual(publishBlockers({ ...review({}), status: 'published' }), []);
    assert.deepEqual(publishBlockers(review({ counted: ['bob', 'carol'], evaluated: true })), []);
  });
});
