import assert from 'node:assert/strict';
import { OpenAiChatModel } from '../../../src/workflows/openAiEndpoint';
import { FakeChatEndpoint } from '../../support/fakeChatEndpoint';

/** The model's answer over real HTTP (a fake OpenAI-compatible endpoint in this process). */
describe('an answer that echoes the key, from an endpoint', () => {
  const KEY = 'sk-secret-42';
  const collect = async (pieces: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const p of pieces) out.push(p);
    return out.join('');
  };

  it('is redacted as it streams, also where the key is split across pieces', async () => {
    const endpoint = await FakeChatEndpoint.start();
    try {
      endpoint.reply = { kind: 'answer', pieces: ['Your key is sk-se', 'cret-42', '; again sk-', 's', 'ecret-42.'] };
      const model = new OpenAiChatModel({ baseURL: endpoint.baseURL, apiKey: KEY, timeoutMs: 5000 });
      const answer = await collect(
        model.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }], parameters: {} }),
      );
      assert.equal(answer, 'Your key is [redacted]; again [redacted].');
      assert.equal(endpoint.requests[0].authorization, `Bearer ${KEY}`, 'the key itself was sent');
    } finally {
      await endpoint.stop();
    }
  });
});
