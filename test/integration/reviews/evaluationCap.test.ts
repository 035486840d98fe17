import assert from 'node:assert/strict';
import type { RunningServer } from '../../../src/server/startServer';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import type { FakeChatEndpoint } from '../../support/fakeChatEndpoint';
import type { TestUser } from '../../support/reviewFixtures';
import { as, useModelServer } from '../../support/reviewServer';
import { describeEachBackend } from '../../support/serverBackends';
import { errorOf } from '../../support/serverHttp';
import { waitFor } from '../../support/waitFor';

const ACCESS = `version: 1
environments: [dev, prod]
workspaces:
  support:
    paths: ["prompts/support/**"]
    environments:
      prod:
        approvals: { required: 1, from: [editor], evaluations: { required: true, passRate: 1.0, runs: 1 } }
`;

const greeter = (tone: string) => `name: Greeter
model: openai/gpt-4o
env: prod
testData:
  - input: hello world
    expected: hello
messages:
  - role: system
    content: 'Tone: ${tone}'
  - role: user
    content: 'Reply to: {{input}}'
evaluators:
  - name: greets back
    string:
      contains: '{{expected}}'
`;

/** Each run spends the server's model calls: a revision may be evaluated only so often (PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION). */
describeEachBackend('the cap on evaluation runs per revision', (makeBackend) => {
  const fixture = useModelServer(makeBackend, {
    access: ACCESS,
    users: { erin: 'editor' },
    // Flaky: only every other answer greets, so re-running until a pass is what the cap stops.
    reply: (endpoint) => ({ kind: 'compute', answer: () => (endpoint.requests.length % 2 ? 'hello!' : 'Go away.') }),
    modelEnv: { PROMPTOPS_MODEL_API_KEY: 'sk-cap-test', PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION: '2' },
  });
  let server: RunningServer;
  let endpoint: FakeChatEndpoint;
  let modelEnv: NodeJS.ProcessEnv;
  let erin: TestUser;

  before(() => {
    ({ server, endpoint, modelEnv } = fixture);
    ({ erin } = fixture.users);
  });

  const evaluate = (review: ReviewDto) => as(server, erin.token).post(`/api/reviews/${review.id}/evaluations`);

  it('refuses a third run of one revision with 429 and asks no model; a new revision may run again', async () => {
    const created = await as(server, erin.token).post('/api/reviews', {
      path: 'prompts/support/greeter.prompt.yml',
      content: greeter('plain'),
    });
    assert.equal(created.status, 201, created.text);
    const review = created.json as ReviewDto;
    for (let i = 0; i < 2; i++) assert.equal((await evaluate(review)).status, 201);
    const calls = endpoint.requests.length;
    const refused = await evaluate(review);
    assert.equal(refused.status, 429, refused.text);
    assert.equal(errorOf(refused).code, 'too_many_requests');
    assert.equal(
      errorOf(refused).message,
      `Revision 1 of review #${review.id} has been evaluated 2 times, the most this server allows per revision (PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION=2); nothing was run. Its runs are in the review; a new revision can be evaluated again.`,
    );
    assert.equal(endpoint.requests.length, calls, 'no model was asked');
    const runs = await as(server, erin.token).get(`/api/reviews/${review.id}/evaluations`);
    assert.equal((runs.json as { runs: unknown[] }).runs.length, 2);

    const revised = await as(server, erin.token).post(`/api/reviews/${review.id}/revisions`, {
      content: greeter('warm'),
    });
    assert.equal(revised.status, 200, revised.text);
    assert.equal((await evaluate(revised.json as ReviewDto)).status, 201);
  });

  const newReview = async (name: string): Promise<ReviewDto> => {
    const created = await as(server, erin.token).post('/api/reviews', {
      path: `prompts/support/${name.toLowerCase()}.prompt.yml`,
      content: greeter(name).replace('Greeter', name),
    });
    assert.equal(created.status, 201, created.text);
    return created.json as ReviewDto;
  };

  it('holds for runs started at the same moment: with a cap of 2, five at once make 2 model-backed runs and 3 answers of 429', async () => {
    const review = await newReview('Together');
    const flaky = endpoint.reply;
    // A slow answer, so every request is under way while the first runs are still talking.
    endpoint.reply = { kind: 'answer', pieces: ['hel', 'lo!'], pieceEveryMs: 150 };
    const calls = endpoint.requests.length;
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => evaluate(review)));
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [201, 201, 429, 429, 429],
        answers.map((a) => a.text).join('\n'),
      );
      for (const refused of answers.filter((a) => a.status === 429)) {
        assert.equal(errorOf(refused).code, 'too_many_requests');
        assert.match(errorOf(refused).message, /has been evaluated 2 times .*PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION=2/);
      }
    } finally {
      endpoint.reply = flaky;
    }
    assert.equal(endpoint.requests.length - calls, 2, 'exactly two runs asked the model');
    const runs = await as(server, erin.token).get(`/api/reviews/${review.id}/evaluations`);
    assert.equal((runs.json as { runs: unknown[] }).runs.length, 2);
    // Both runs are stored, so nothing is under way any more.
    const after = await evaluate(review);
    assert.equal(after.status, 429);
    assert.match(errorOf(after).message, /has been evaluated 2 times, the most/);
  });

  it('a run whose model fails stores nothing and gives its place back', async () => {
    const review = await newReview('Failing');
    const flaky = endpoint.reply;
    endpoint.reply = { kind: 'error', status: 500, message: 'the model fell over' };
    try {
      const failed = await Promise.all([evaluate(review), evaluate(review)]);
      assert.deepEqual(
        failed.map((f) => f.status),
        [502, 502],
        failed.map((f) => f.text).join('\n'),
      );
    } finally {
      endpoint.reply = flaky;
    }
    for (let i = 0; i < 2; i++) {
      const ran = await evaluate(review);
      assert.equal(ran.status, 201, ran.text);
    }
  });

  it('an unreadable setting is the server’s misconfiguration (503), never "no limit"', async () => {
    const created = await as(server, erin.token).post('/api/reviews', {
      path: 'prompts/support/other.prompt.yml',
      content: greeter('other').replace('Greeter', 'Other'),
    });
    modelEnv.PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION = 'lots';
    try {
      const res = await evaluate(created.json as ReviewDto);
      assert.equal(res.status, 503, res.text);
      assert.match(
        errorOf(res).message,
        /PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION must be a whole number of at least 1, not "lots"/,
      );
    } finally {
      modelEnv.PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION = '2';
    }
  });
});

/** A run under way holds its place only for its budget: a server process that died mid-run does not use up the revision. */
describeEachBackend('a run under way and the cap', (makeBackend) => {
  let clockAhead = 0;
  const fixture = useModelServer(makeBackend, {
    access: ACCESS,
    users: { erin: 'editor' },
    modelEnv: {
      PROMPTOPS_MODEL_API_KEY: 'sk-cap-test',
      PROMPTOPS_MODEL_TIMEOUT_MS: '20000',
      PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION: '1',
    },
    server: { now: () => Date.now() + clockAhead },
  });
  let server: RunningServer;
  let endpoint: FakeChatEndpoint;
  let erin: TestUser;

  before(() => {
    ({ server, endpoint } = fixture);
    ({ erin } = fixture.users);
  });

  it('counts while it runs; once its budget and a minute have passed another may take its place, and the late one stores nothing', async () => {
    const created = await as(server, erin.token).post('/api/reviews', {
      path: 'prompts/support/greeter.prompt.yml',
      content: greeter('plain'),
    });
    assert.equal(created.status, 201, created.text);
    const review = created.json as ReviewDto;
    const evaluate = () => as(server, erin.token).post(`/api/reviews/${review.id}/evaluations`);
    let letGo = (): void => undefined;
    const held = new Promise<void>((done) => (letGo = done));
    endpoint.reply = { kind: 'answer', pieces: ['hel', 'lo!'], holdAfterFirst: held };

    const stalled = evaluate();
    await waitFor('the first run to ask the model', () => endpoint.requests.length >= 1);
    const refused = await evaluate();
    assert.equal(refused.status, 429, refused.text);
    assert.match(errorOf(refused).message, /has been evaluated 1 time \(1 still running\)/);
    assert.equal(endpoint.requests.length, 1, 'the refused run asked no model');

    // Its budget (one call of 20 s) and the minute to store it have passed on the server's clock.
    clockAhead = 20_000 + 60_000 + 1;
    const replacing = evaluate();
    await waitFor('the replacing run to ask the model', () => endpoint.requests.length >= 2);
    letGo();
    const [late, replaced] = await Promise.all([stalled, replacing]);
    assert.equal(replaced.status, 201, replaced.text);
    assert.equal(late.status, 429, late.text);
    const runs = await as(server, erin.token).get(`/api/reviews/${review.id}/evaluations`);
    assert.equal((runs.json as { runs: unknown[] }).runs.length, 1);
  });
});
