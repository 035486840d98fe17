import assert from 'node:assert/strict';
import { ORG_REVIEW_WORKSPACE, reviewPlacement } from '../../../src/core/review/policyApproval';
import { ALL_WORKSPACES, effectiveScope, rowsInScope } from '../../../src/extension/model/workspaceScope';

const rows = [
  { path: 'prompts/support/refund.prompt', workspace: 'support' },
  { path: 'prompts/shared/tone.prompt.md', workspace: 'default' },
  { path: 'prompts/support/greeting.prompt', workspace: 'support' },
  { path: 'prompts/marketing/tagline.prompty', workspace: 'default' },
];

describe('workspace scope (what the Prompts and Reviews views show)', () => {
  it('a picked workspace shows only its rows, in their order', () => {
    assert.deepEqual(
      rowsInScope(rows, 'support').map((r) => r.path),
      ['prompts/support/refund.prompt', 'prompts/support/greeting.prompt'],
    );
  });

  it('all workspaces shows every row', () => {
    assert.deepEqual(rowsInScope(rows, undefined), rows);
  });

  it('a review of the access file (org level) shows in every scope, labelled org', () => {
    const policy = { path: '.promptops/access.yaml', workspace: ORG_REVIEW_WORKSPACE, env: 'dev' };
    for (const scope of ['support', 'marketing', undefined])
      assert.ok(rowsInScope([...rows, policy], scope).includes(policy), String(scope));
    assert.equal(reviewPlacement(policy), 'org');
    assert.equal(reviewPlacement({ workspace: 'support', env: 'prod' }), 'support/prod');
  });

  it('a workspace with nothing in it shows nothing', () => {
    assert.deepEqual(rowsInScope(rows, 'marketing'), []);
  });

  it('a stored choice is kept only while the access file declares that workspace', () => {
    const declared = ['support', 'default'];
    assert.equal(effectiveScope('support', declared), 'support');
    assert.equal(effectiveScope('gone', declared), undefined, 'a workspace since removed falls back to all');
    assert.equal(effectiveScope(ALL_WORKSPACES, declared), undefined);
    assert.equal(effectiveScope(undefined, declared), undefined, 'nothing stored: all');
    assert.equal(effectiveScope(42, declared), undefined, 'a corrupt stored value: all');
  });
});
