import assert from 'node:assert/strict';
import { PromptOpsApiError } from '../../../src/client/promptOpsApiError';
import { isRefusal } from '../../../src/extension/server/serverErrors';
import { WorkflowRefusal } from '../../../src/workflows/workingTree';

describe('isRefusal: what the editor shows as a warning (nothing changed) rather than a failure', () => {
  const api = (status: number, code = 'x') => new PromptOpsApiError(status, code, 'm');

  it('a workflow refusal and the server refusing (forbidden, conflict, bad input, too many requests)', () => {
    assert.equal(isRefusal(new WorkflowRefusal('local edits')), true);
    for (const status of [403, 404, 409, 422, 429]) assert.equal(isRefusal(api(status)), true, String(status));
  });

  it('not signing in again (401), a server failure (5xx), no answer, or any other error', () => {
    for (const status of [401, 500, 503]) assert.equal(isRefusal(api(status)), false, String(status));
    assert.equal(isRefusal(api(0, 'network')), false);
    assert.equal(isRefusal(new Error('boom')), false);
  });
});
