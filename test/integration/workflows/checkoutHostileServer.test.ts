import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromptOpsClient } from '../../../src/client/promptOpsClient';
import { NodeWorkingTree } from '../../../src/cli/nodeWorkingTree';
import { contentSha256 } from '../../../src/core/release/contentHash';
import { reviewedHash } from '../../../src/core/review/reviewedHash';
import { openGitRepository } from '../../../src/git';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { checkoutReview } from '../../../src/workflows/checkoutReview';
import { WorkflowRefusal } from '../../../src/workflows/workingTree';
import { tempGitRepo } from '../../support/cli';

const PROMPT = 'prompts/support/triage.prompt';
const DATASET = 'prompts/support/triage.tests.yaml';
const COMMITTED = '---\nmodel: gpt-4o\n---\nAnswer in one line.\n';
const HEAD = '---\nmodel: gpt-4o\n---\nAnswer in one short line.\n';
const HEAD_DATASET = 'tests:\n  - name: refund\n    variables: { ticket: money back }\n';

/** What an honest server answers for the review: its head and dataset, with their hashes. */
function honestReview(): ReviewDto {
  const headHash = contentSha256(HEAD);
  return {
    id: '7',
    path: PROMPT,
    headHash,
    reviewedHash: reviewedHash(headHash, HEAD_DATASET),
    headContent: HEAD,
    headDataset: { path: DATASET, content: HEAD_DATASET },
  } as unknown as ReviewDto;
}

/**
 * `review checkout` trusts only the hashes: a server (or anything between it and the clone)
 * that sends other bytes than the review's head, or puts the dataset somewhere other than
 * beside the prompt, is refused, and nothing in the clone changes.
 */
describe('review checkout against a hostile server: refused, nothing changed', function () {
  this.timeout(60_000);
  let server: Server;
  let answer: ReviewDto;
  let dir: string;
  let client: PromptOpsClient;

  before(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/api/reviews/7' ? answer : {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new PromptOpsClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    dir = tempGitRepo({ [PROMPT]: COMMITTED });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const checkout = async () =>
    checkoutReview('7', { client, repo: await openGitRepository(dir), tree: new NodeWorkingTree(dir) });

  async function assertRefused(tampered: Partial<ReviewDto>, message: RegExp) {
    answer = { ...honestReview(), ...tampered };
    await assert.rejects(checkout(), (err: Error) => {
      assert.ok(err instanceof WorkflowRefusal, String(err));
      assert.match(err.message, message);
      assert.match(err.message, /Nothing was changed/);
      return true;
    });
    assert.equal(readFileSync(join(dir, PROMPT), 'utf8'), COMMITTED, 'the prompt is as committed');
    assert.equal(existsSync(join(dir, DATASET)), false, 'no dataset was written');
  }

  it('writes the honest answer: the head and its dataset', async () => {
    answer = honestReview();
    const outcome = await checkout();
    assert.deepEqual([outcome.wrote, outcome.dataset], [true, { path: DATASET, wrote: true }]);
    assert.equal(readFileSync(join(dir, PROMPT), 'utf8'), HEAD);
    assert.equal(readFileSync(join(dir, DATASET), 'utf8'), HEAD_DATASET);
  });

  it('refuses a head whose bytes do not hash to the review head', async () => {
    await assertRefused(
      { headContent: HEAD.replace('short', 'long') },
      /review #7's content from the server hashes to sha256 [0-9a-f]{64}, not to its head/,
    );
  });

  it('refuses a dataset put anywhere but beside the prompt: another folder, a hook, a path that climbs out', async () => {
    for (const path of ['prompts/other/triage.tests.yaml', '.git/hooks/pre-commit', '../outside.tests.yaml']) {
      await assertRefused(
        { headDataset: { path, content: HEAD_DATASET } },
        new RegExp(`the server names ${path.replace(/\./g, '\\.')} as review #7's dataset, not ${DATASET}`),
      );
      assert.equal(existsSync(join(dir, '.git/hooks/pre-commit')), false);
    }
  });

  it('refuses a dataset whose text is not the one reviewed (the reviewed hash binds it to the head)', async () => {
    await assertRefused(
      { headDataset: { path: DATASET, content: HEAD_DATASET.replace('refund', 'anything') } },
      /review #7's dataset from the server does not hash, with its prompt, to the reviewed head/,
    );
  });

  it('refuses a reviewed hash that names no dataset when the head carries one', async () => {
    await assertRefused(
      { reviewedHash: contentSha256(HEAD) },
      /review #7's dataset from the server does not hash, with its prompt, to the reviewed head/,
    );
  });
  it('replaces an earlier revision it lists, but nothing else: odd entries in the list never let a local edit be overwritten', async () => {
    const edit = `${COMMITTED}My own line.\n`;
    const earlier = { headHash: contentSha256(edit), datasetHash: null };
    writeFileSync(join(dir, PROMPT), edit);
    answer = { ...honestReview(), revisions: [earlier] } as unknown as ReviewDto;
    assert.equal((await checkout()).wrote, true, 'an earlier revision of the review (the server keeps it) is replaced');
    assert.equal(readFileSync(join(dir, PROMPT), 'utf8'), HEAD);

    writeFileSync(join(dir, PROMPT), edit);
    rmSync(join(dir, DATASET));
    const odd = [null, 'x', { headHash: 'not a hash' }, { headHash: contentSha256(edit).toUpperCase() }];
    answer = { ...honestReview(), revisions: odd } as unknown as ReviewDto;
    await assert.rejects(checkout(), /no longer matches the approved content/);
    assert.equal(readFileSync(join(dir, PROMPT), 'utf8'), edit, 'the edit is kept');
  });
});
