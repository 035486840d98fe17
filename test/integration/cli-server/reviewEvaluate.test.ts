import assert from 'node:assert/strict';
import type { EvaluationRunDto } from '../../../src/shared/api/evaluations';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { ServedTeam } from '../../support/cliAgainstServer';
import { FakeChatEndpoint } from '../../support/fakeChatEndpoint';

const ACCESS = (server: string) => `version: 1
server: ${server}
environments: [dev, prod]
workspaces:
  support:
    paths: ["prompts/support/**"]
    environments:
      prod:
        approvals: { required: 1, from: [editor], evaluations: { required: true, passRate: 1.0, runs: 2 } }
`;

const PROMPT = `name: Greeter
model: openai/gpt-4o
env: prod
testData:
  - input: hello world
    expected: hello
messages:
  - role: user
    content: 'Reply to: {{input}}'
evaluators:
  - name: greets back
    string:
      contains: '{{expected}}'
`;

/**
 * The gate from a terminal: `review show` tells a person to run the evaluation with the
 * panel's button or `promptops review evaluate ID` (never an API path), and that command
 * has the server run it and prints the result.
 */
describe('CLI against a real server: review evaluate', function () {
  this.timeout(180_000);
  let team: ServedTeam;
  let endpoint: FakeChatEndpoint;
  let people: ServedTeam['people'];
  /** erin's review of the greeter, approved by rita: every test starts from it, none from another test. */
  let review: ReviewDto;
  const path = 'prompts/support/greeter.prompt.yml';

  before(async () => {
    endpoint = await FakeChatEndpoint.start();
    endpoint.reply = { kind: 'answer', pieces: ['Why ', 'hello there!'] };
    team = await ServedTeam.start({
      prefix: 'promptops-evaluate-',
      serveEnv: { PROMPTOPS_MODEL_BASE_URL: endpoint.baseURL },
      seedFiles: (url) => ({ '.promptops/access.yaml': ACCESS(url), [path]: PROMPT }),
      apply: true,
    });
    people = team.people;
    for (const name of ['erin', 'rita']) team.addPerson(name, 'editor');
    review = people.erin.json<ReviewDto>(['review', 'request', path, '-m', 'a greeter']);
    people.rita.ok(['review', 'approve', review.id, '--head', review.headHash]);
  });

  after(async () => {
    await team?.stop();
    await endpoint?.stop();
  });

  it('review show names the button and the command; review evaluate runs it and the gate opens', async () => {
    const shown = people.erin.ok(['review', 'show', review.id]);
    const publishLine = shown.split('\n').find((l) => /^ {2}no +publish /.test(l)) ?? '';
    assert.ok(
      publishLine.endsWith(
        `none has run. Run the evaluation: the Run evaluation button in the review panel, or \`promptops review evaluate ${review.id}\`.`,
      ),
      shown,
    );
    assert.ok(!shown.includes('/api/'), 'a person is not told an API path');

    // Not spawnSync: the model endpoint answers from this process.
    const ran = await people.erin.start(['review', 'evaluate', review.id]);
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(
      ran.stdout,
      new RegExp(
        `^Evaluation run #\\d+ of review #${review.id}, revision 1: passed \\(2 of 2 runs passed: 100%; required 100%\\)\\.$`,
        'm',
      ),
    );
    const json = await people.erin.start(['review', 'evaluate', review.id, '--json']);
    const again = JSON.parse(json.stdout) as EvaluationRunDto;
    assert.deepEqual([again.passed, again.runBy, again.current], [true, 'erin', true]);
    const after = people.erin.ok(['review', 'show', review.id]);
    assert.match(after, /^ {2}yes +publish /m);
    // The run's table, a row per case, as the panel shows it.
    assert.match(after, /^Evaluation run #\d+ of revision 1: passed \(2 of 2 runs passed\)$/m);
    assert.match(after, /^ {2}case 1: pass, pass {2}\{"input":"hello world","expected":"hello"\}$/m);
  });

  it('refuses a viewer (no evaluation.run), exit 1, and runs nothing', () => {
    const vic = team.addPerson('vic', 'viewer');
    const calls = endpoint.requests.length;
    const refused = vic.run(['review', 'evaluate', review.id]);
    assert.equal(refused.status, 1, refused.stderr);
    assert.equal(endpoint.requests.length, calls, 'no model was asked');
    assert.match(refused.stderr, /^promptops: Running evaluations of .* needs /m);
  });
});
