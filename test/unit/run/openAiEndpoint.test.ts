import assert from 'node:assert/strict';
import { endpointFromEnv, OpenAiChatModel, redact } from '../../../src/workflows/openAiEndpoint';

describe('endpointFromEnv', () => {
  it('names both variables when no endpoint is configured', () => {
    assert.throws(
      () => endpointFromEnv({ PROMPTOPS_MODEL_API_KEY: 'k' }),
      /no model endpoint configured: set PROMPTOPS_MODEL_BASE_URL .* and PROMPTOPS_MODEL_API_KEY/,
    );
  });

  it('takes the key when there is one, and a whole positive timeout only', () => {
    assert.deepEqual(endpointFromEnv({ PROMPTOPS_MODEL_BASE_URL: 'http://h/v1', PROMPTOPS_MODEL_API_KEY: 'k' }), {
      baseURL: 'http://h/v1',
      apiKey: 'k',
      timeoutMs: 60000,
    });
    assert.deepEqual(endpointFromEnv({ PROMPTOPS_MODEL_BASE_URL: 'http://h/v1', PROMPTOPS_MODEL_TIMEOUT_MS: '500' }), {
      baseURL: 'http://h/v1',
      timeoutMs: 500,
    });
    for (const bad of ['0', '-1', '1.5', 'soon']) {
      assert.throws(
        () => endpointFromEnv({ PROMPTOPS_MODEL_BASE_URL: 'http://h/v1', PROMPTOPS_MODEL_TIMEOUT_MS: bad }),
        /PROMPTOPS_MODEL_TIMEOUT_MS must be a whole number of milliseconds/,
      );
    }
  });
});

describe('redact', () => {
  it('takes every copy of the key out, and the endpoint description never holds it', () => {
    assert.equal(redact('a sk-1 b sk-1', 'sk-1'), 'a [redacted] b [redacted]');
    assert.equal(redact('nothing', undefined), 'nothing');
    const model = new OpenAiChatModel({ baseURL: 'https://h/v1?api-key=sk-9', apiKey: 'sk-9', timeoutMs: 1000 });
    assert.equal(model.description, 'https://h/v1?api-key=[redacted]');
  });
});
