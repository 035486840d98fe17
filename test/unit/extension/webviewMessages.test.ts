import assert from 'node:assert/strict';
import { isWebviewMessage } from '../../../src/shared/webviewProtocol';

describe('the review panel checks what its webview asks for evaluations', () => {
  it('accepts Run evaluation and Compare behaviour (with or without a model choice)', () => {
    assert.equal(isWebviewMessage({ type: 'runEvaluation' }), true);
    assert.equal(isWebviewMessage({ type: 'compareBehaviour' }), true);
    assert.equal(isWebviewMessage({ type: 'compareBehaviour', model: 'endpoint' }), true);
  });

  it('refuses a model choice that is not a short text', () => {
    assert.equal(isWebviewMessage({ type: 'compareBehaviour', model: 42 }), false);
    assert.equal(isWebviewMessage({ type: 'compareBehaviour', model: 'x'.repeat(201) }), false);
  });
});
