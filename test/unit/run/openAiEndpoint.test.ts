import assert from 'node:assert/strict';
import { redact, redactStream } from '../../../src/workflows/keyRedaction';
import { endpointFromEnv, OpenAiChatModel } from '../../../src/workflows/openAiEndpoint';

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

describe('an answer that echoes the key', () => {
  const KEY = 'sk-secret-42';
  const collect = async (pieces: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const p of pieces) out.push(p);
    return out.join('');
  };
  async function* of(...pieces: string[]) {
    yield* pieces;
  }

  it('is redacted where the key is split across pieces', async () => {
    const pieces = of('Your key is sk-se', 'cret-42', '; again sk-', 's', 'ecret-42.');
    assert.equal(await collect(redactStream(pieces, KEY)), 'Your key is [redacted]; again [redacted].');
  });

  it('what only looks like the start of the key is held back, then given out unchanged', async () => {
    assert.equal(await collect(redactStream(of('ends with sk-se'), KEY)), 'ends with sk-se');
    assert.equal(await collect(redactStream(of('sk-se', 'a', KEY), KEY)), 'sk-sea[redacted]');
    assert.equal(await collect(redactStream(of('no key'), undefined)), 'no key');
  });
});
