import type { CompiledPolicy } from '../../core/policy/compiledPolicy';
import { signUnpublish } from '../../core/release/unpublishRecord';
import type { SigningKey } from '../../core/release/signingKeys';
import type { NewAuditEntry } from '../store/auditRecords';
import type { UnpublishDecision } from '../store/reviewRecords';
import { refusal, type Refusal } from './refusal';
import { releaseResource } from './readAccess';
import type { ReviewActor } from './reviewActor';

/**
 * Unpublishing takes the same right as publishing (`prompt.publish` where the release is
 * placed: its workspace and env), decided against the release the store found newest,
 * inside its transaction. The record names exactly that release and is dated after it,
 * so it can never retire a later publish of the path.
 */
export function decideUnpublish(
  policy: CompiledPolicy,
  actor: ReviewActor,
  key: Pick<SigningKey, 'privateKey' | 'keyId'>,
  now: number,
  auditBase: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'>,
): UnpublishDecision<Refusal> {
  return (release) => {
    const resource = releaseResource(release);
    const d = policy.decide(actor, 'prompt.publish', resource);
    if (!d.allowed) {
      // Read isolation: a release the caller may not read is not there for them.
      if (!policy.decide(actor, 'prompt.read', resource).allowed)
        return { kind: 'refuse', refusal: nothingPublished(release.path, release.env) };
      return {
        kind: 'refuse',
        refusal: refusal(
          'forbidden',
          'forbidden',
          `Unpublishing needs prompt.publish for ${release.path} in ${release.env}: ${d.reason}`,
        ),
      };
    }
    // A release is dated by the server's clock; the record is always later than what it retires.
    const at = Math.max(now, Date.parse(release.publishedAt) + 1);
    const record = signUnpublish(
      {
        path: release.path,
        env: release.env,
        name: release.name,
        workspace: release.workspace,
        reviewId: release.reviewId,
        sha256: release.sha256,
        publishedAt: release.publishedAt,
        unpublishedBy: actor.username,
        unpublishedAt: new Date(at).toISOString(),
        keyId: key.keyId,
      },
      key.privateKey,
    );
    return {
      kind: 'unpublish',
      record,
      audit: {
        ...auditBase,
        at: now,
        action: 'release.unpublish',
        targetType: 'release',
        targetId: release.id,
        before: { path: release.path, env: release.env, reviewId: release.reviewId, sha256: release.sha256 },
        after: { unpublishedAt: record.unpublishedAt, keyId: record.keyId },
      },
    };
  };
}

/** What a caller who may not read a release learns, the same as when there is none. */
export const nothingPublished = (path: string, env: string): Refusal =>
  refusal('not_found', 'not_found', `Nothing is published at ${path} in ${env}.`);
