import { HttpError } from '../http/httpError';
import type { PublishedVersion } from '../store/reviewRecords';
import type { PromptSubject } from './promptSubject';

/** The base a review is compared with: never taken from the requester. */
export interface PublishedBase {
  baseHash: string | null;
  baseContent: string | null;
}

/**
 * The base of a proposed head: the server's own newest release of the path in the env the
 * head is placed in (`published` is `Store.publishedVersions` of the path), none when
 * nothing is published there. Content equal to it is refused (409): there is nothing to
 * review.
 */
export function publishedBase(path: string, subject: PromptSubject, published: PublishedVersion[]): PublishedBase {
  const current = published.find((p) => p.env === subject.env);
  if (!current) return { baseHash: null, baseContent: null };
  if (current.sha256 === subject.headHash) {
    throw new HttpError(
      409,
      'unchanged_from_published',
      `${path} is identical to its published version in ${subject.env}; there is nothing to review.`,
      'content',
    );
  }
  return { baseHash: current.sha256, baseContent: current.content };
}
