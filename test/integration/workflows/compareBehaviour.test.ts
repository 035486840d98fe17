import assert from 'node:assert/strict';
import { compareBehaviour } from '../../../src/workflows/compareBehaviour';
import { OpenAiChatModel } from '../../../src/workflows/openAiEndpoint';
import { FakeChatEndpoint } from '../../support/fakeChatEndpoint';

const PATH = 'prompts/support/greeter.prompt.yml';

/** A GitHub Models prompt with one test case of its own; `tone` is what changes between versions. */
const greeter = (tone: string, user = 'Reply to: {{input}}') => `name: Greeter
model: openai/gpt-4o
testData:
  - input: hello world
messages:
  - role: system
    content: 'Tone: ${tone}'
  - role: user
    content: '${user}'
`;

const DATASET = {
  path: 'prompts/support/greeter.tests.yaml',
  text: 'tests:\n  - variables: { input: good morning }\n',
};

describe("compareBehaviour (the review panel's behavioural diff)", () => {
  let endpoint: FakeChatEndpoint;
  let chat: OpenAiChatModel;

  before(async () => {
    endpoint = await FakeChatEndpoint.start();
    chat = new OpenAiChatModel({ baseURL: endpoint.baseURL, apiKey: 'sk-compare-0123456789', timeoutMs: 1_000 });
  });
  after(async () => endpoint.stop());
  beforeEach(() => {
    // Deterministic: the answer says which tone and which input it was asked with.
    endpoint.reply = {
      kind: 'compute',
      answer: (req) => `${req.messages[0].content} / ${req.messages[1]?.content ?? ''}`,
    };
  });

  it('runs both versions on the same inputs (testData and the dataset beside the prompt), side by side per case', async () => {
    const result = await compareBehaviour(
      chat,
      { published: { path: PATH, text: greeter('curt') }, proposed: { path: PATH, text: greeter('warm') } },
      { dataset: DATASET },
    );
    assert.match(result.model, /127\.0\.0\.1/);
    assert.deepEqual(result.cases, [
      {
        name: 'case 1',
        input: '{"input":"hello world"}',
        published: { output: 'Tone: curt / Reply to: hello world' },
        proposed: { output: 'Tone: warm / Reply to: hello world' },
      },
      {
        name: 'case 2',
        input: '{"input":"good morning"}',
        published: { output: 'Tone: curt / Reply to: good morning' },
        proposed: { output: 'Tone: warm / Reply to: good morning' },
      },
    ]);
  });

  it('nothing published: only the proposed side runs', async () => {
    const before = endpoint.requests.length;
    const result = await compareBehaviour(chat, { published: null, proposed: { path: PATH, text: greeter('warm') } });
    assert.deepEqual(
      result.cases.map((c) => [c.published, c.proposed]),
      [[null, { output: 'Tone: warm / Reply to: hello world' }]],
    );
    assert.equal(endpoint.requests.length, before + 1);
  });

  it('a published version that lacks a variable the case needs says so in its cell; the proposed one still runs', async () => {
    const result = await compareBehaviour(chat, {
      published: { path: PATH, text: greeter('curt', 'Reply to {{input}} as {{persona}}') },
      proposed: { path: PATH, text: greeter('warm') },
    });
    const [only] = result.cases;
    assert.match((only.published as { error: string }).error, /missing variable `persona`/);
    assert.deepEqual(only.proposed, { output: 'Tone: warm / Reply to: hello world' });
  });

  it('an endpoint error stops the comparison with a clear message, without the key', async () => {
    endpoint.reply = { kind: 'error', status: 500, message: 'boom sk-compare-0123456789' };
    await assert.rejects(
      compareBehaviour(chat, { published: null, proposed: { path: PATH, text: greeter('warm') } }),
      (err: Error) => /HTTP 500/.test(err.message) && !err.message.includes('sk-compare-0123456789'),
    );
  });

  it('an endpoint that never answers fails within the timeout: nothing hangs', async () => {
    endpoint.reply = { kind: 'silent' };
    const started = Date.now();
    await assert.rejects(
      compareBehaviour(chat, { published: null, proposed: { path: PATH, text: greeter('warm') } }),
      /1 s|timed out|no answer|time/i,
    );
    assert.ok(Date.now() - started < 5_000);
  });

  it('a proposed version with no test cases is a located error before any request', async () => {
    const before = endpoint.requests.length;
    const bare = greeter('warm').replace('testData:\n  - input: hello world\n', '');
    await assert.rejects(
      compareBehaviour(chat, { published: null, proposed: { path: PATH, text: bare } }),
      /greeter\.prompt\.yml:1:1 testData: no test cases/,
    );
    assert.equal(endpoint.requests.length, before);
  });
});
