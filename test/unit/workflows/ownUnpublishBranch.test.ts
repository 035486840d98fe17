import assert from 'node:assert/strict';
import { ownUnpublishBranch } from '../../../src/workflows/unpublishAndPush';

describe('the branch of its own an unpublish goes to', () => {
  it('is one ref component named after env and path', () => {
    assert.equal(
      ownUnpublishBranch('prompts/support/greeting.prompt', 'dev'),
      'promptops/unpublish-dev-prompts_support_greeting.prompt',
    );
  });

  it('never holds what git refuses in a ref name (`..`, spaces, `~^:?*[\\`), whatever the file is called', () => {
    const name = ownUnpublishBranch('prompts/a..b/we ird~^:?*[\\x.prompt', 'prod');
    assert.equal(name, 'promptops/unpublish-prod-prompts_a_b_we_ird_______x.prompt');
    assert.doesNotMatch(name.slice('promptops/'.length), /\.\.|[/ ~^:?*[\\]/);
  });
});
