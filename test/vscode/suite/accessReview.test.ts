import * as assert from 'node:assert/strict';
import { PromptOpsClient } from '../../../src/client/promptOpsClient';
import { flagText } from '../../../src/core/policy/accessReviewText';
import { INITIAL_ADMIN, TEST_USERS } from '../fixture/testUsers';
import { flatten, labelOf, serverUrl, signInAs, signOut } from './helpers';

describe('Access review in the Access view', () => {
  after(signOut);

  it('an admin sees every account with its facts, role per workspace × env, rights used and flags that say what to do', async () => {
    await signInAs(TEST_USERS.alice);
    const api = await signInAs(INITIAL_ADMIN);
    const review = await api.views.access.reloadReview();
    assert.ok(review, 'the server answered an admin');
    const rows = flatten(api.views.access);
    const item = (id: string) => rows.find((r) => r.item.id === id)?.item;

    assert.equal(labelOf(item('access:review')!), 'Access review');
    assert.match(String(item('access:review:alice')?.description), /^org role editor · last sign-in \d{4}-.* · /);
    assert.match(String(item('access:review:alice:support')?.description), /^dev: editor \(bound\)/);
    assert.match(String(item('access:review:alice:default')?.description), /^dev: editor(?! \()/);
    assert.match(String(item('access:review:admin:rights')?.description), /^(last used: |no audited right used)/);

    // The same flags, in the same words, as `promptops access review` prints.
    const alices = review.flags.filter((f) => f.username === 'alice');
    assert.ok(alices.length > 0, 'alice has something to act on (no signing key at least)');
    alices.forEach((f) => {
      const row = rows.find(
        (r) => String(r.item.contextValue).startsWith('accessReviewFlag') && labelOf(r.item) === f.message,
      )?.item;
      assert.equal(row?.description, f.fix, `${f.kind} says what to do`);
      assert.equal(row?.tooltip, flagText(f));
    });
  });

  it('alice (editor) has no access review in the view, and the server refuses her', async () => {
    const api = await signInAs(TEST_USERS.alice);
    assert.equal(await api.views.access.reloadReview(), undefined);
    assert.ok(!flatten(api.views.access).some((r) => String(r.item.id).startsWith('access:review')));
    const alice = new PromptOpsClient({ server: serverUrl() });
    await alice.login(TEST_USERS.alice.username, TEST_USERS.alice.password);
    await assert.rejects(alice.accessReview(), (err: Error & { status?: number }) => {
      assert.equal(err.status, 403);
      return true;
    });
  });
});
