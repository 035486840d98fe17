import assert from 'node:assert/strict';
import { importPublicKey } from '../../../src/core/release/signingKeys';
import { verifyReleaseSignature } from '../../../src/core/release/releaseRecord';
import { SIGNED_RELEASE_FIELDS } from '../../../src/core/release/releaseRecordSchema';
import type { ReleaseListResponse } from '../../../src/shared/api/releases';
import type { RunningServer } from '../../../src/server/startServer';
import type { AuditListResponse } from '../../../src/shared/api/audit';
import type { PublicKeyResponse } from '../../../src/shared/api/keys';
import type {
  PublishReviewResponse,
  ReviewDto,
  ReviewListResponse,
  RevisionContentDto,
} from '../../../src/shared/api/reviews';
import { promptText, sha, testUser, type TestUser } from '../../support/reviewFixtures';
import { applyAccessFile, as, PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import { errorOf } from '../../support/serverHttp';

/**
 * The review lifecycle under PromptLayer's access file with real users of each role:
 * erin drafts, rita reviews, paul and pia publish; dan is an org editor with no binding.
 */
describeEachBackend('review lifecycle', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  let erin: TestUser, rita: TestUser, paul: TestUser, pia: TestUser, dan: TestUser;
  const devPath = 'prompts/support/refund.prompt';
  const devV1 = promptText('You handle refunds politely.', { env: 'dev' });

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
    await applyAccessFile(server, PROMPTLAYER_ACCESS);
    // Org roles are modest; the workspace bindings make them drafter / reviewer / publisher in `support`.
    erin = await testUser(server, 'viewer', 'erin');
    rita = await testUser(server, 'viewer', 'rita');
    paul = await testUser(server, 'viewer', 'paul');
    pia = await testUser(server, 'viewer', 'pia');
    dan = await testUser(server, 'editor', 'dan');
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  it('derives workspace, env and hashes itself, ignoring what the client claims', async () => {
    const res = await as(server, erin.token).post('/api/reviews', {
      path: devPath,
      content: devV1,
      note: 'draft',
      workspace: 'sales',
      env: 'prod',
    });
    assert.equal(res.status, 201, res.text);
    const review = res.json as ReviewDto;
    assert.deepEqual(
      [review.workspace, review.env, review.headHash, review.baseHash, review.author, review.status],
      ['support', 'dev', sha(devV1), null, 'erin', 'open'],
    );
    assert.equal(review.approval.rule.required, 1);
    assert.equal(review.permissions.revise.allowed, true);
    assert.equal(review.permissions.approve.allowed, false);
    assert.match(review.permissions.approve.reason, /drafter/);
  });

  it('refuses a head hash that is not the content’s, and content that is not a prompt', async () => {
    const wrong = await as(server, erin.token).post('/api/reviews', {
      path: devPath,
      content: devV1,
      headHash: 'a'.repeat(64),
    });
    assert.equal(wrong.status, 422);
    assert.equal(errorOf(wrong).field, 'headHash');
    const broken = await as(server, erin.token).post('/api/reviews', {
      path: 'prompts/support/x.prompt.yml',
      content: 'messages: 12\n',
    });
    assert.equal(broken.status, 422, broken.text);
    assert.equal(errorOf(broken).code, 'invalid_prompt');
    const escape = await as(server, erin.token).post('/api/reviews', { path: '../etc/x.prompt', content: devV1 });
    assert.equal(escape.status, 422);
  });

  it('runs draft → review → publish in dev, and signs a release that verifies with the public key', async () => {
    const created = (await as(server, erin.token).post('/api/reviews', { path: devPath, content: devV1 }))
      .json as ReviewDto;
    const selfApprove = await as(server, erin.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
    });
    assert.equal(selfApprove.status, 403);
    const early = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(early.status, 409);
    assert.equal(errorOf(early).code, 'approval_rule_unmet');

    const approved = await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
      note: 'tone is right',
    });
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual((approved.json as ReviewDto).approval.counted, ['rita']);
    const again = await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
    });
    assert.equal(again.status, 409);

    const drafterPublish = await as(server, erin.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(drafterPublish.status, 403, 'a drafter cannot publish, even an approved change');
    assert.match(errorOf(drafterPublish).message, /drafter/);
    const stale = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: sha('something else'),
    });
    assert.equal(stale.status, 409);
    assert.equal(errorOf(stale).code, 'stale_head');

    const published = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(published.status, 200, published.text);
    const { release, review } = published.json as PublishReviewResponse;
    assert.equal(review.status, 'published');
    assert.deepEqual(
      [release.path, release.workspace, release.env, release.sha256, release.author, release.publisher],
      [devPath, 'support', 'dev', sha(devV1), 'erin', 'paul'],
    );
    assert.deepEqual(release.approvers, ['rita']);

    const key = (await as(server, erin.token).get('/api/keys/public')).json as PublicKeyResponse;
    assert.equal(release.keyId, key.keyId);
    assert.equal(verifyReleaseSignature(release, release.signature, importPublicKey(key.pem)), true);
    assert.equal(verifyReleaseSignature(release, release.signature, importPublicKey(key.spkiBase64)), true);
    assert.equal(
      verifyReleaseSignature({ ...release, sha256: sha('tampered') }, release.signature, importPublicKey(key.pem)),
      false,
    );

    const twice = await as(server, pia.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(twice.status, 409);
    assert.equal(errorOf(twice).code, 'already_published');
    const closed = await as(server, rita.token).post(`/api/reviews/${created.id}/comments`, { body: 'late' });
    assert.equal(closed.status, 409);

    // The list answers the stored row as the definition spells it: its id, then exactly the
    // signed release's fields in the definition's order, the same record, still verifying.
    const releases = (await as(server, dan.token).get(`/api/releases?reviewId=${created.id}`))
      .json as ReleaseListResponse;
    assert.equal(releases.releases.length, 1);
    const [listed] = releases.releases;
    assert.deepEqual(Object.keys(listed), [
      'id',
      ...SIGNED_RELEASE_FIELDS.map((f) => f.name).filter((f) => f in release),
    ]);
    assert.deepEqual({ ...listed, id: undefined }, { ...release, id: undefined });
    assert.equal(verifyReleaseSignature(listed, listed.signature, importPublicKey(key.pem)), true);
    // The query schema (TypeBox) is still validated strictly: no unknown parameter, no coercion.
    for (const query of ['bogus=1', 'limit=ten', 'reviewId=x'])
      assert.equal((await as(server, dan.token).get(`/api/releases?${query}`)).status, 422, query);
  });

  it('locks prod to publishers: drafters cannot even request review, self-approval is refused, two approvals are needed', async () => {
    const prodPath = 'prompts/support/refund-prod.prompt';
    const prodV1 = promptText('You handle refunds politely.', { env: 'prod' });
    const byErin = await as(server, erin.token).post('/api/reviews', { path: prodPath, content: prodV1 });
    assert.equal(byErin.status, 403);
    assert.match(errorOf(byErin).message, /publisher/);

    const created = (await as(server, paul.token).post('/api/reviews', { path: prodPath, content: prodV1 }))
      .json as ReviewDto;
    assert.deepEqual([created.env, created.approval.rule.required], ['prod', 2]);
    const self = await as(server, paul.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
    });
    assert.equal(self.status, 403);
    assert.equal(errorOf(self).code, 'forbidden');
    assert.match(errorOf(self).message, /own|author|wrote/i);

    const listed = async () =>
      (
        (await as(server, paul.token).get(`/api/reviews?status=open&path=${encodeURIComponent(prodPath)}`))
          .json as ReviewListResponse
      ).reviews[0].approval;
    assert.deepEqual(await listed(), {
      met: false,
      approvals: 0,
      required: 2,
      approvedBy: [],
      changesRequestedBy: [],
    });
    await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, { headHash: created.headHash });
    assert.deepEqual(
      await listed(),
      { met: false, approvals: 1, required: 2, approvedBy: ['rita'], changesRequestedBy: [] },
      'lists show how far the rule is met, and who approved',
    );
    const oneOfTwo = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(oneOfTwo.status, 409);
    assert.match(errorOf(oneOfTwo).message, /needs 2 approvals/);
    const danApproves = await as(server, dan.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
    });
    assert.equal(danApproves.status, 403, 'an org editor without a binding is not in the prod approval list');

    const piaApproves = await as(server, pia.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
    });
    assert.deepEqual((piaApproves.json as ReviewDto).approval.counted, ['rita', 'pia']);
    assert.equal((piaApproves.json as ReviewDto).approval.met, true);
    assert.deepEqual(await listed(), {
      met: true,
      approvals: 2,
      required: 2,
      approvedBy: ['rita', 'pia'],
      changesRequestedBy: [],
    });

    // pia leaves the company: her approval stops counting at once.
    assert.equal((await as(server, STATIC_TOKEN).del(`/api/users/${pia.id}`)).status, 204);
    const after = (await as(server, paul.token).get(`/api/reviews/${created.id}`)).json as ReviewDto;
    assert.deepEqual(after.approval.counted, ['rita']);
    assert.equal(after.approval.met, false);
    assert.match(after.approval.ignored[0].reason, /no longer a user/);
    assert.equal(after.permissions.publish.allowed, false);
    const refused = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(refused.status, 409);
    pia = await testUser(server, 'viewer', 'pia');
  });

  it('a new revision dismisses earlier approvals and change requests, and only the author may add one', async () => {
    const path = 'prompts/support/greeting.prompt';
    const v1 = promptText('Greet the customer.');
    const v2 = promptText('Greet the customer by name.');
    const created = (await as(server, erin.token).post('/api/reviews', { path, content: v1 })).json as ReviewDto;
    await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, { headHash: created.headHash });
    await as(server, paul.token).post(`/api/reviews/${created.id}/request-changes`, {
      note: 'use the name',
      headHash: created.headHash,
    });

    const notAuthor = await as(server, paul.token).post(`/api/reviews/${created.id}/revisions`, { content: v2 });
    assert.equal(notAuthor.status, 403);
    const staleRevision = await as(server, erin.token).post(`/api/reviews/${created.id}/revisions`, {
      content: v2,
      expectedHeadHash: sha('old'),
    });
    assert.equal(staleRevision.status, 409);
    const revised = await as(server, erin.token).post(`/api/reviews/${created.id}/revisions`, {
      content: v2,
      note: 'uses the name',
      expectedHeadHash: created.headHash,
    });
    assert.equal(revised.status, 200, revised.text);
    const review = revised.json as ReviewDto;
    assert.deepEqual([review.revision, review.headHash, review.headContent], [2, sha(v2), v2]);
    assert.deepEqual(review.approval.counted, []);
    assert.deepEqual(review.approval.changesRequestedBy, []);
    assert.deepEqual(
      review.verdicts.map((v) => [v.username, v.verdict, v.dismissed]),
      [
        ['rita', 'approve', true],
        ['paul', 'request_changes', true],
      ],
    );
    assert.match(review.verdicts[0].dismissedReason ?? '', /revision 2/);

    // Every revision's content stays readable, for "changes since revision 1"; a revision that does not exist is 404.
    const first = await as(server, rita.token).get(`/api/reviews/${created.id}/revisions/1`);
    assert.equal(first.status, 200, first.text);
    const one = first.json as RevisionContentDto;
    assert.deepEqual([one.number, one.headHash, one.content, one.author], [1, sha(v1), v1, 'erin']);
    const second = (await as(server, rita.token).get(`/api/reviews/${created.id}/revisions/2`))
      .json as RevisionContentDto;
    assert.deepEqual([second.content, second.note], [v2, 'uses the name']);
    assert.equal((await as(server, rita.token).get(`/api/reviews/${created.id}/revisions/3`)).status, 404);
    assert.equal((await as(server, rita.token).get(`/api/reviews/${created.id}/revisions/0`)).status, 422);

    const staleApprove = await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, {
      headHash: created.headHash,
    });
    assert.equal(staleApprove.status, 409);
    assert.equal(errorOf(staleApprove).code, 'stale_head');
    assert.equal(
      (await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, { headHash: sha(v2) })).status,
      200,
    );
  });

  it('holds publishing while changes are requested, and lets the author withdraw', async () => {
    const created = (
      await as(server, erin.token).post('/api/reviews', {
        path: 'prompts/support/bye.prompt',
        content: promptText('Say goodbye.'),
      })
    ).json as ReviewDto;
    await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, { headHash: created.headHash });
    await as(server, pia.token).post(`/api/reviews/${created.id}/request-changes`, {
      note: 'too curt',
      headHash: created.headHash,
    });
    const held = await as(server, paul.token).post(`/api/reviews/${created.id}/publish`, {
      headHash: created.headHash,
    });
    assert.equal(held.status, 409);
    assert.equal(errorOf(held).code, 'changes_requested');
    assert.equal((await as(server, rita.token).post(`/api/reviews/${created.id}/withdraw`)).status, 403);
    const withdrawn = await as(server, erin.token).post(`/api/reviews/${created.id}/withdraw`, {
      note: 'starting over',
    });
    assert.equal((withdrawn.json as ReviewDto).status, 'withdrawn');
    assert.equal(
      (await as(server, rita.token).post(`/api/reviews/${created.id}/approve`, { headHash: created.headHash })).status,
      409,
    );
  });

  it('lists with filters, and needsMyApproval shows only what the caller may still approve', async () => {
    const mine = (await as(server, erin.token).get('/api/reviews?author=erin&status=open')).json as ReviewListResponse;
    assert.ok(mine.reviews.length > 0 && mine.reviews.every((r) => r.author === 'erin' && r.status === 'open'));
    const forRita = (await as(server, rita.token).get('/api/reviews?needsMyApproval=true')).json as ReviewListResponse;
    for (const r of forRita.reviews) {
      const full = (await as(server, rita.token).get(`/api/reviews/${r.id}`)).json as ReviewDto;
      assert.equal(full.permissions.approve.allowed, true, `review ${r.id}`);
    }
    const forErin = (await as(server, erin.token).get('/api/reviews?needsMyApproval=true')).json as ReviewListResponse;
    assert.deepEqual(forErin.reviews, [], 'a drafter approves nothing');
    const page1 = (await as(server, dan.token).get('/api/reviews?limit=2')).json as ReviewListResponse;
    assert.equal(page1.reviews.length, 2);
    const page2 = (await as(server, dan.token).get(`/api/reviews?limit=2&cursor=${page1.nextCursor}`))
      .json as ReviewListResponse;
    assert.ok(Number(page2.reviews[0].id) < Number(page1.reviews[1].id));
  });

  it('records every review action and release in the audit log, with actor and before/after', async () => {
    const res = await as(server, STATIC_TOKEN).get('/api/audit?action=review.*&limit=200');
    const { entries } = res.json as AuditListResponse;
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['review.create', 'review.approve', 'review.request_changes', 'review.revise', 'review.withdraw'])
      assert.ok(actions.has(a), a);
    const publish = (await as(server, STATIC_TOKEN).get('/api/audit?action=release.publish&outcome=done'))
      .json as AuditListResponse;
    assert.equal(publish.entries[0].actor, 'paul');
    assert.equal((publish.entries[0].after as { sha256: string }).sha256, sha(devV1));
    const byRita = (await as(server, STATIC_TOKEN).get('/api/audit?actor=rita&action=review.approve'))
      .json as AuditListResponse;
    assert.ok(
      byRita.entries.length >= 3 && byRita.entries.every((e) => e.actor === 'rita' && e.targetType === 'review'),
    );
    assert.equal((await as(server, rita.token).get('/api/audit')).status, 403);
  });
});
