import type { PublishedVersion } from '../store/reviewRecords';
import type { PromptSubject } from './promptSubject';
import { refusal, type Refusable } from './refusal';

/** The base a review is compared with: never taken from the requester. */
export interface PublishedBase {
  baseHash: string | null;
  baseContent: string | null;
}

/**
 * The base of a proposed head: the server's own newest release of the path in the env the
 * head is placed in (`published` is `Store.publishedVersions` of the path), none when
 * nothing is published there. Content equal to it is refused (conflict): there is nothing
 * to review.
 */
export function publishedBase(
  path: string,
  subject: PromptSubject,
  published: PublishedVersion[],
): Refusable<PublishedBase> {
  const current = published.find((p) => p.env === subject.env);
  if (!current) return { ok: true, value: { baseHash: null, baseContent: null } };
  if (current.sha256 === subject.headHash) {
    return {
      ok: false,
      refusal: refusal(
        'conflict',
        'unchanged_from_published',
        `${path} is identical to its published version in ${subject.env}; there is nothing to review.`,
        { field: 'content' },
      ),
    };
  }
  return { ok: true, value: { baseHash: current.sha256, baseContent: current.content } };
}
