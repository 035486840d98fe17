import * as assert from 'node:assert/strict';
import { pullRequestCommands, pullRequestUrl } from '../../../src/core/release/pullRequest';
import { checkoutNotice, checkoutState } from '../../../src/extension/reviews/checkoutNotice';
import {
  decidePublishPush,
  publishPushSetting,
  pushOutcomeNotice,
  pushQuestion,
} from '../../../src/extension/reviews/publishPush';
import { syncMessage } from '../../../src/extension/commands/syncMessage';
import type { PushPublishOutcome, PushResult } from '../../../src/workflows/pushPublish';
import type { CheckoutOutcome } from '../../../src/workflows/checkoutReview';

const release = { name: 'Greeting', env: 'dev', path: 'prompts/greeting.prompt' };
function outcome(result: PushResult, localSync?: PushPublishOutcome['localSync']): PushPublishOutcome {
  return {
    publish: { review: { id: '7' }, release, alreadyPublished: false } as unknown as PushPublishOutcome['publish'],
    remote: 'origin',
    branch: 'main',
    result,
    localSync,
    delivery: undefined,
  };
}
const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

describe('promptops.publish.push: whether a publish from the editor pushes', () => {
  it('reads the setting; anything unknown is the default, ask', () => {
    assert.equal(publishPushSetting('always'), 'always');
    assert.equal(publishPushSetting('never'), 'never');
    assert.equal(publishPushSetting('ask'), 'ask');
    assert.equal(publishPushSetting('Always'), 'ask');
    assert.equal(publishPushSetting(undefined), 'ask');
  });

  it('always pushes, never does not, ask asks a person and never a script', () => {
    const ctx = { scripted: false, hasRemote: true };
    assert.equal(decidePublishPush('always', ctx), 'push');
    assert.equal(decidePublishPush('never', ctx), 'local');
    assert.equal(decidePublishPush('ask', ctx), 'ask');
    assert.equal(decidePublishPush('ask', { ...ctx, scripted: true }), 'local');
  });

  it('a clone without the remote never pushes or asks; an explicit choice wins over the setting', () => {
    assert.equal(decidePublishPush('always', { scripted: false, hasRemote: false }), 'local');
    assert.equal(decidePublishPush('ask', { scripted: false, hasRemote: false }), 'local');
    assert.equal(decidePublishPush('never', { scripted: true, hasRemote: true, explicit: true }), 'push');
    assert.equal(decidePublishPush('always', { scripted: true, hasRemote: true, explicit: false }), 'local');
  });

  it('the question names the review, the remote branch and what each answer does', () => {
    const q = pushQuestion({ id: '7', name: 'Greeting', env: 'dev' }, 'origin', 'main');
    assert.match(q, /Greeting to dev \(review #7\)/);
    assert.match(q, /origin\/main/);
    assert.match(q, /Not now commits it on your checked-out branch only/);
  });
});

describe('what the editor says after a publish with push', () => {
  it('pushed: where, and that the local branch followed (or was not touched)', () => {
    const n = pushOutcomeNotice(
      outcome({ kind: 'pushed', commit: SHA, attempts: 1, alreadyThere: false }, { synced: true }),
      undefined,
    );
    assert.equal(n.level, 'info');
    assert.equal(
      n.message,
      'PromptOps: Published Greeting to dev; pushed abcdef01 to origin/main. Your main is up to date with it.',
    );
    assert.deepEqual(n.actions, []);
    const untouched = pushOutcomeNotice(
      outcome({ kind: 'pushed', commit: SHA, attempts: 1, alreadyThere: false }),
      undefined,
    );
    assert.match(untouched.message, /Your working tree was not touched; Sync on main brings the publish in\./);
  });

  it('replayed on a new tip after a rejected push says so; a local branch left behind is a warning with the reason', () => {
    const n = pushOutcomeNotice(
      outcome(
        { kind: 'pushed', commit: SHA, attempts: 3, alreadyThere: false },
        { synced: false, reason: 'x is dirty' },
      ),
      undefined,
    );
    assert.equal(n.level, 'warning');
    assert.match(n.message, /replayed on its new tip after 2 rejected pushes \(someone else published meanwhile\)/);
    assert.match(n.message, /Your main was left as it was: x is dirty/);
  });

  it('a protected branch: the own branch, a pull-request page on GitHub, and the gh command', () => {
    const result: PushResult = {
      kind: 'pull-request',
      commit: SHA,
      ownBranch: 'promptops/publish-7',
      detail: 'protected branch hook declined',
    };
    const n = pushOutcomeNotice(outcome(result), 'git@github.com:acme/prompts.git');
    assert.equal(n.level, 'warning');
    assert.match(n.message, /refused a push to main, which is protected \(protected branch hook declined\)/);
    assert.match(n.message, /Pushed abcdef01 to origin\/promptops\/publish-7 instead/);
    assert.deepEqual(n.actions, [
      {
        label: 'Open Pull Request',
        open: 'https://github.com/acme/prompts/compare/main...promptops%2Fpublish-7?expand=1',
      },
      { label: 'Copy gh Command', copy: pullRequestCommands('main', 'promptops/publish-7', '7').gh },
    ]);
    const local = pushOutcomeNotice(outcome(result), '/srv/git/prompts.git');
    assert.match(
      local.message,
      /Open it with: gh pr create --base main --head promptops\/publish-7 --title "Publish review #7" --fill/,
    );
    assert.deepEqual(
      local.actions.map((a) => a.label),
      ['Copy gh Command'],
    );
  });

  it('nothing pushed: the local branch that keeps the commit and the push command', () => {
    const n = pushOutcomeNotice(
      outcome({ kind: 'kept', commit: SHA, localBranch: 'promptops/publish-7', detail: 'Permission denied' }),
      undefined,
    );
    assert.match(n.message, /nothing was pushed: Permission denied/);
    assert.deepEqual(n.actions, [{ label: 'Copy Push Command', copy: 'git push origin promptops/publish-7:main' }]);
  });
});

describe('pull request pages', () => {
  it('GitHub (https, ssh, scp-like) and GitLab hosts; unknown hosts and paths get none', () => {
    assert.equal(
      pullRequestUrl('https://github.com/acme/prompts.git', 'main', 'p-1'),
      'https://github.com/acme/prompts/compare/main...p-1?expand=1',
    );
    assert.equal(
      pullRequestUrl('ssh://git@github.com/acme/prompts', 'main', 'p-1'),
      'https://github.com/acme/prompts/compare/main...p-1?expand=1',
    );
    assert.equal(
      pullRequestUrl('git@gitlab.example.com:team/sub/prompts.git', 'release', 'p-1'),
      'https://gitlab.example.com/team/sub/prompts/-/merge_requests/new?merge_request%5Bsource_branch%5D=p-1&merge_request%5Btarget_branch%5D=release',
    );
    assert.equal(pullRequestUrl('https://git.example.com/acme/prompts.git', 'main', 'p-1'), undefined);
    assert.equal(pullRequestUrl('/srv/git/prompts.git', 'main', 'p-1'), undefined);
    assert.equal(pullRequestUrl('file:///srv/git/prompts.git', 'main', 'p-1'), undefined);
    assert.equal(pullRequestUrl('https://github.com/acme/prompts/../../evil', 'main', 'p-1'), undefined);
  });
});

describe('Check Out in the review panel', () => {
  it('is offered for an open review only, and never offline', () => {
    const open = { status: 'open' as const, path: 'p.prompt', revision: 2 };
    assert.equal(checkoutState(open, false).allowed, true);
    assert.match(checkoutState(open, false).reason, /revision 2 .* into p\.prompt/);
    assert.equal(checkoutState(open, true).allowed, false);
    assert.match(checkoutState({ ...open, status: 'published' }, false).reason, /Sync/);
    assert.equal(checkoutState({ ...open, status: 'withdrawn' }, false).allowed, false);
  });

  it('says what it wrote, or that the file held it already', () => {
    const review = { id: '7', path: 'p.prompt', revision: 2, headHash: 'f'.repeat(64) } as CheckoutOutcome['review'];
    assert.match(
      checkoutNotice({ review, wrote: true }),
      /^Checked out revision 2 of review #7 into p\.prompt .*nothing was committed/,
    );
    assert.match(checkoutNotice({ review, wrote: false }), /already holds revision 2 .* Nothing was changed\.$/);
    // The dataset the head carries goes beside the prompt, and the notice says where.
    const tests = 'p.tests.yaml';
    assert.match(
      checkoutNotice({ review, wrote: false, dataset: { path: tests, wrote: true } }),
      /already holds revision 2 .* Its dataset went to p\.tests\.yaml .* nothing was committed\.$/,
    );
    assert.match(
      checkoutNotice({ review, wrote: true, dataset: { path: tests, wrote: false } }),
      /^Checked out .* p\.tests\.yaml already holds its dataset\. It is a local change/,
    );
    // A dataset the head does not carry, left beside the prompt: the notice ends with the warning.
    const stray = { path: tests, warning: "review #7's head carries no dataset, but p.tests.yaml is here: …" };
    assert.match(
      checkoutNotice({ review, wrote: true, strayDataset: stray }),
      /nothing was committed\. But review #7's head carries no dataset, but p\.tests\.yaml is here: …$/,
    );
  });
});

describe('what Sync says', () => {
  it('up to date, or fast-forwarded naming the prompts published upstream', () => {
    assert.equal(
      syncMessage({ from: SHA, to: SHA, plan: { verdicts: [], reset: [], blocking: [] } }, 'origin', 'main'),
      'main is up to date with origin/main.',
    );
    const msg = syncMessage(
      {
        from: SHA,
        to: '1234567890'.repeat(4),
        plan: {
          verdicts: [
            { path: 'a.prompt', verdict: 'published-upstream', release: { reviewId: '7' } as never },
            { path: 'b.prompt', verdict: 'untouched' },
          ],
          reset: ['a.prompt'],
          blocking: [],
        },
      },
      'origin',
      'main',
    );
    assert.equal(
      msg,
      'Fast-forwarded main to origin/main (12345678). Your local copies of a.prompt (review #7) were what it publishes; they are now committed there.',
    );
  });
});
