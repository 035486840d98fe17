import assert from 'node:assert/strict';
import { verifyReleaseSignature } from '../../../src/core/release/releaseRecord';
import { importPublicKey } from '../../../src/core/release/signingKeys';
import type { RunningServer } from '../../../src/server/startServer';
import type { EvaluationRunDto, EvaluationRunListResponse } from '../../../src/shared/api/evaluations';
import type { PublicKeyResponse } from '../../../src/shared/api/keys';
import type { PublishReviewResponse, ReviewDto } from '../../../src/shared/api/reviews';
import type { FakeChatEndpoint } from '../../support/fakeChatEndpoint';
import { sha, type TestUser } from '../../support/reviewFixtures';
import { as, useModelServer } from '../../support/reviewServer';
import { describeEachBackend } from '../../support/serverBackends';
import { apiKeyFor, STATIC_TOKEN } from '../../support/serverFixtures';
import { errorOf, http } from '../../support/serverHttp';

const API_KEY = 'sk-server-eval-0123456789-secret';

/** prod in `support` needs a passing evaluation (every case, both runs); tina may run them, ned may not. */
const ACCESS = `version: 1
environments: [dev, prod]
roles:
  tester: { extends: viewer, allow: [evaluation.run] }
  no-eval: { extends: editor, deny: [evaluation.run] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { tina: tester, ned: no-eval }
    environments:
      prod:
        approvals: { required: 1, from: [editor], evaluations: { required: true, passRate: 1.0, runs: 2 } }
`;

/** A GitHub Models prompt with its own test case; `tone` tells the fake model how to answer. */
const greeter = (tone: string, name = 'Greeter'): string => `name: ${name}
model: openai/gpt-4o
env: prod
testData:
  - input: hello world
    expected: hello
messages:
  - role: system
    content: 'You greet people. Tone: ${tone}'
  - role: user
    content: 'Reply to: {{input}}'
evaluators:
  - name: greets back
    string:
      contains: '{{expected}}'
`;

/** good: always greets; rude: never; flaky: greets the first time only. */
function answer(system: string, nth: number): string {
  if (system.includes('Tone: good')) return 'Why hello there!';
  if (system.includes('Tone: flaky')) return nth === 0 ? 'hello!' : 'Go away.';
  return 'Go away.';
}

describeEachBackend('the evaluation gate', (makeBackend) => {
  const fixture = useModelServer(makeBackend, {
    access: ACCESS,
    users: { erin: 'editor', rita: 'editor', vic: 'viewer', tina: 'viewer', ned: 'editor', ada: 'admin' },
    reply: () => ({ kind: 'compute', answer: (req, nth) => answer(req.messages[0].content, nth) }),
    modelEnv: { PROMPTOPS_MODEL_API_KEY: API_KEY },
  });
  let server: RunningServer;
  let endpoint: FakeChatEndpoint;
  let modelEnv: NodeJS.ProcessEnv;
  let erin: TestUser, rita: TestUser, vic: TestUser, tina: TestUser, ned: TestUser, ada: TestUser;
  let n = 0;

  before(() => {
    ({ server, endpoint, modelEnv } = fixture);
    ({ erin, rita, vic, tina, ned, ada } = fixture.users);
  });

  /** A fresh review of a prod prompt by erin, approved by rita. */
  async function approvedReview(tone: string): Promise<ReviewDto> {
    const res = await as(server, erin.token).post('/api/reviews', {
      path: `prompts/support/greeter-${++n}.prompt.yml`,
      content: greeter(tone, `Greeter ${n}`),
    });
    assert.equal(res.status, 201, res.text);
    const review = res.json as ReviewDto;
    assert.equal(review.env, 'prod');
    return approve(review);
  }

  async function approve(review: ReviewDto): Promise<ReviewDto> {
    const res = await as(server, rita.token).post(`/api/reviews/${review.id}/approve`, { headHash: review.headHash });
    assert.equal(res.status, 200, res.text);
    return res.json as ReviewDto;
  }

  const evaluate = (token: string, review: ReviewDto) =>
    as(server, token).post(`/api/reviews/${review.id}/evaluations`);
  const publish = (review: ReviewDto) =>
    as(server, erin.token).post(`/api/reviews/${review.id}/publish`, { headHash: review.headHash });

  it('refuses publishing without a run, naming the rule and the head', async () => {
    const review = await approvedReview('good');
    const res = await publish(review);
    assert.equal(res.status, 409, res.text);
    const error = errorOf(res);
    assert.equal(error.code, 'evaluation_required');
    assert.match(error.message, /approval rule for `support` in `prod` requires a passing evaluation/);
    assert.ok(error.message.includes(`revision 1 (sha256 ${sha(greeter('good', `Greeter ${n}`))})`), error.message);
    assert.match(error.message, /none has run/);
    // A person is told where to run it; an API client gets the request, apart from the sentence.
    const howToRun = `Run the evaluation: the Run evaluation button in the review panel, or \`promptops review evaluate ${review.id}\`.`;
    assert.ok(error.message.endsWith(howToRun), error.message);
    assert.ok(!error.message.includes('/api/'), error.message);
    assert.deepEqual(error.request, { method: 'POST', path: `/api/reviews/${review.id}/evaluations` });
    // The review says so too, before anyone tries.
    const shown = (await as(server, erin.token).get(`/api/reviews/${review.id}`)).json as ReviewDto;
    assert.equal(shown.permissions.publish.allowed, false);
    assert.match(shown.permissions.publish.reason, /passing evaluation/);
    // The panel's evaluation state: required, not met, no run for this revision; a run may
    // take one model timeout (60 s by default) per call: one case, twice, no graded evaluator.
    assert.deepEqual(
      { ...shown.evaluation, reason: undefined },
      {
        required: true,
        passRate: 1,
        runs: 2,
        met: false,
        reason: undefined,
        budgetMs: 2 * 60_000,
        latest: null,
        outdated: null,
      },
    );
    assert.match(shown.evaluation.reason, /none has run/);
    assert.ok(shown.evaluation.reason.endsWith(howToRun), shown.evaluation.reason);
    // Who may run one is told before trying.
    const canRun = async (token: string) =>
      ((await as(server, token).get(`/api/reviews/${review.id}`)).json as ReviewDto).permissions.evaluate.allowed;
    assert.deepEqual(
      [await canRun(erin.token), await canRun(tina.token), await canRun(vic.token), await canRun(ned.token)],
      [true, true, false, false],
    );
  });

  it('refuses to run evaluations for everyone who may not, before any model call, and stores nothing', async () => {
    const review = await approvedReview('good');
    const calls = endpoint.requests.length;
    const key = await apiKeyFor(server, erin.id, ['prompt.read', 'prompt.publish']);
    const refusals: [string, string | undefined, number][] = [
      ['anonymous', undefined, 401],
      ['a bad token', 'not-a-token', 401],
      ['a viewer', vic.token, 403],
      ['an editor whose role denies evaluation.run', ned.token, 403],
      ['the static token (no user)', STATIC_TOKEN, 403],
      ["an API key whose scope lacks evaluation.run (its creator's may)", key.token, 403],
    ];
    for (const [who, token, status] of refusals) {
      const res = await http(server.url, {
        method: 'POST',
        path: `/api/reviews/${review.id}/evaluations`,
        ...(token ? { token } : {}),
        body: {},
      });
      assert.equal(res.status, status, `${who}: ${res.text}`);
    }
    assert.equal(endpoint.requests.length, calls, 'no model was asked');
    const list = (await as(server, erin.token).get(`/api/reviews/${review.id}/evaluations`))
      .json as EvaluationRunListResponse;
    assert.deepEqual(list.runs, []);
    const vicSays = (await as(server, vic.token).get(`/api/reviews/${review.id}/evaluations`)).status;
    assert.equal(vicSays, 200, 'a reader may list runs');
  });

  it('a failing (flaky) run is stored but does not let the head through', async () => {
    const review = await approvedReview('flaky');
    const res = await evaluate(erin.token, review);
    assert.equal(res.status, 201, res.text);
    const run = res.json as EvaluationRunDto;
    assert.deepEqual(
      [run.passed, run.passedRuns, run.judgedRuns, run.runs, run.revision, run.sha256, run.current],
      [false, 1, 2, 2, 1, review.headHash, true],
    );
    assert.deepEqual(
      run.cases[0].runs.map((r) => [r.output, r.status]),
      [
        ['hello!', 'pass'],
        ['Go away.', 'fail'],
      ],
    );
    assert.ok(!res.text.includes(API_KEY), 'the key is never in the answer');
    const refused = await publish(review);
    assert.equal(refused.status, 409, refused.text);
    assert.equal(errorOf(refused).code, 'evaluation_required');
    assert.match(errorOf(refused).message, new RegExp(`latest run #${run.id} did not pass \\(1 of 2 runs passed: 50%`));
    assert.ok(
      errorOf(refused).message.endsWith(
        `Fix the prompt, or run the evaluation again: the Run evaluation button in the review panel, or \`promptops review evaluate ${review.id}\`.`,
      ),
      errorOf(refused).message,
    );
    assert.deepEqual(errorOf(refused).request, { method: 'POST', path: `/api/reviews/${review.id}/evaluations` });
  });

  it('a run of an older revision does not count; a passing run of the head publishes, and the record carries its digest', async () => {
    const first = await approvedReview('good');
    const passed = await evaluate(tina.token, first);
    assert.equal(passed.status, 201, passed.text);
    assert.equal((passed.json as EvaluationRunDto).passed, true);
    assert.equal((passed.json as EvaluationRunDto).runBy, 'tina');

    // A new revision: approvals are dismissed, and the run of revision 1 no longer counts.
    const revised = await as(server, erin.token).post(`/api/reviews/${first.id}/revisions`, {
      content: greeter('good', `Greeter ${n}`).replace('You greet people.', 'You greet people warmly.'),
    });
    assert.equal(revised.status, 200, revised.text);
    const second = await approve(revised.json as ReviewDto);
    assert.equal(second.revision, 2);
    const refused = await publish(second);
    assert.equal(refused.status, 409, refused.text);
    assert.equal(errorOf(refused).code, 'evaluation_required');
    assert.match(errorOf(refused).message, /revision 2 .*none has run\. Runs of earlier revisions \(1\) do not count/);
    // The review shows revision 1's run as outdated, not as the head's.
    const outdated = ((await as(server, vic.token).get(`/api/reviews/${first.id}`)).json as ReviewDto).evaluation;
    assert.deepEqual(
      [outdated.met, outdated.latest, outdated.outdated?.revision, outdated.outdated?.runBy],
      [false, null, 1, 'tina'],
    );

    const run = await evaluate(ada.token, second);
    assert.equal(run.status, 201, run.text);
    const current = run.json as EvaluationRunDto;
    assert.deepEqual([current.passed, current.revision, current.sha256], [true, 2, second.headHash]);

    // The review carries the head's run as a table: each case's input, answers and verdicts.
    const shown = ((await as(server, vic.token).get(`/api/reviews/${first.id}`)).json as ReviewDto).evaluation;
    assert.equal(shown.met, true);
    assert.equal(shown.latest?.id, current.id);
    assert.deepEqual(shown.latest?.cases, [
      {
        name: 'case 1',
        input: '{"input":"hello world","expected":"hello"}',
        runs: current.cases[0].runs,
      },
    ]);
    assert.equal(shown.latest?.cases[0].runs[0].verdicts[0].evaluator, 'greets back');

    const listed = (await as(server, vic.token).get(`/api/reviews/${first.id}/evaluations`))
      .json as EvaluationRunListResponse;
    assert.deepEqual(
      listed.runs.map((r) => [r.revision, r.passed, r.current]),
      [
        [1, true, false],
        [2, true, true],
      ],
    );

    const published = await publish(second);
    assert.equal(published.status, 200, published.text);
    const { release } = published.json as PublishReviewResponse;
    assert.equal(release.evaluation, current.digest);
    assert.equal(release.sha256, second.headHash);
    const key = (await as(server, erin.token).get('/api/keys/public')).json as PublicKeyResponse;
    const publicKey = importPublicKey(key.pem);
    assert.ok(verifyReleaseSignature(release, release.signature, publicKey), 'the digest is signed');
    assert.ok(!verifyReleaseSignature({ ...release, evaluation: '0'.repeat(64) }, release.signature, publicKey));
    const { evaluation: _dropped, ...withoutEvaluation } = release;
    assert.ok(!verifyReleaseSignature(withoutEvaluation, release.signature, publicKey), 'nor can it be dropped');
  });

  it('says clearly when the server has no model configured, and when the model fails, without the key', async () => {
    const review = await approvedReview('good');
    const saved = modelEnv.PROMPTOPS_MODEL_BASE_URL;
    delete modelEnv.PROMPTOPS_MODEL_BASE_URL;
    try {
      const res = await evaluate(erin.token, review);
      assert.equal(res.status, 503, res.text);
      assert.match(errorOf(res).message, /PROMPTOPS_MODEL_BASE_URL/);
    } finally {
      modelEnv.PROMPTOPS_MODEL_BASE_URL = saved;
    }
    const previous = endpoint.reply;
    endpoint.reply = { kind: 'error', status: 401, message: `bad key ${API_KEY}` };
    try {
      const res = await evaluate(erin.token, review);
      assert.equal(res.status, 502, res.text);
      assert.match(errorOf(res).message, /HTTP 401/);
      assert.ok(!res.text.includes(API_KEY), res.text);
    } finally {
      endpoint.reply = previous;
    }
    const list = (await as(server, erin.token).get(`/api/reviews/${review.id}/evaluations`))
      .json as EvaluationRunListResponse;
    assert.deepEqual(list.runs, [], 'an unfinished evaluation stores nothing');
  });

  it('stops a run that outlasts its budget (one model timeout per call), stores nothing, and says so', async () => {
    const review = await approvedReview('good');
    const previous = endpoint.reply;
    // Each piece comes well within the 300 ms timeout, so only the budget (2 calls × 300 ms) stops it.
    endpoint.reply = { kind: 'answer', pieces: Array.from({ length: 30 }, () => 'hello '), pieceEveryMs: 100 };
    modelEnv.PROMPTOPS_MODEL_TIMEOUT_MS = '300';
    try {
      const shown = (await as(server, erin.token).get(`/api/reviews/${review.id}`)).json as ReviewDto;
      assert.equal(shown.evaluation.budgetMs, 600);
      const started = Date.now();
      const res = await evaluate(erin.token, review);
      assert.equal(res.status, 502, res.text);
      assert.equal(errorOf(res).code, 'model_error');
      assert.match(
        errorOf(res).message,
        /did not finish within 0\.6 s \(2 model calls, PROMPTOPS_MODEL_TIMEOUT_MS 300 ms each on the server\); nothing was stored/,
      );
      assert.ok(Date.now() - started < 2500, 'stopped at the budget, not when the answer ended');
    } finally {
      endpoint.reply = previous;
      delete modelEnv.PROMPTOPS_MODEL_TIMEOUT_MS;
    }
    const list = (await as(server, erin.token).get(`/api/reviews/${review.id}/evaluations`))
      .json as EvaluationRunListResponse;
    assert.deepEqual(list.runs, []);
  });

  it('never runs template code from a review: a Jinja .prompty has no cases here, a code-like tag stays text', async () => {
    const marker = `pwned-${++n}`;
    const prompty = await as(server, erin.token).post('/api/reviews', {
      path: `prompts/support/attack-${n}.prompty`,
      content: `---\nname: Attack ${n}\nmodel:\n  api: chat\n  configuration:\n    name: gpt-4o\n---\nsystem:\n{{ ''.constructor.constructor("require('fs').writeFileSync('${marker}', 'x')")() }}\n`,
    });
    assert.equal(prompty.status, 201, prompty.text);
    const calls = endpoint.requests.length;
    const refused = await evaluate(erin.token, prompty.json as ReviewDto);
    assert.equal(refused.status, 422, refused.text);
    assert.equal(errorOf(refused).code, 'invalid_prompt');
    assert.match(errorOf(refused).message, /no test cases/);
    assert.equal(endpoint.requests.length, calls, 'no model was asked');

    const tag = '{{ "".constructor.constructor("return process")() }}';
    const yml = await as(server, erin.token).post('/api/reviews', {
      path: `prompts/support/attack-${n}.prompt.yml`,
      content: greeter('good', `Attack ${n}`).replace("'Reply to: {{input}}'", `'Reply to: {{input}} ${tag}'`),
    });
    assert.equal(yml.status, 201, yml.text);
    const ran = await evaluate(erin.token, yml.json as ReviewDto);
    assert.equal(ran.status, 201, ran.text);
    const sent = endpoint.requests[endpoint.requests.length - 1].body.messages as { content: string }[];
    assert.equal(sent[1].content, `Reply to: hello world ${tag}`, 'sent as text, never evaluated');
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(marker), false);
  });

  it('a rule without evaluations publishes as before, with no digest in the record', async () => {
    const res = await as(server, erin.token).post('/api/reviews', {
      path: `prompts/support/plain-${++n}.prompt.yml`,
      content: greeter('rude', `Plain ${n}`).replace('env: prod', 'env: dev'),
    });
    assert.equal(res.status, 201, res.text);
    const review = await approve(res.json as ReviewDto);
    const published = await publish(review);
    assert.equal(published.status, 200, published.text);
    assert.equal('evaluation' in (published.json as PublishReviewResponse).release, false);
  });
});
