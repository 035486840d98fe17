import type { PublishedName } from '../store/reviewRecords';
import type { PromptSubject } from './promptSubject';
import { refusal, type Refusal } from './refusal';

/** Where a name is published now, as read before the transaction that acts (`Store.publishedUnderName`). */
export interface NameLookup {
  name: string;
  published: PublishedName[];
}

/**
 * A prompt's name is unique per env across the repository: the runtime loader finds a
 * prompt by name and env, so a second file publishing the same pair makes it fail
 * (AMBIGUOUS) or serve the wrong one. Refuses (conflict) a prompt at `path` whose name is
 * already published in its env from another path; the same path again is a new version.
 */
export function takenNameRefusal(
  path: string,
  subject: Pick<PromptSubject, 'name' | 'env'>,
  lookup: NameLookup,
): Refusal | undefined {
  if (lookup.name !== subject.name) {
    // The head changed between the lookup and the transaction: the lookup says nothing about this name.
    return refusal(
      'conflict',
      'stale_head',
      `${path} changed while this was being decided (its name is now "${subject.name}"); reload it and try again.`,
    );
  }
  const holder = lookup.published.find((p) => p.env === subject.env && p.path !== path);
  if (!holder) return undefined;
  return refusal(
    'conflict',
    'name_taken',
    `"${subject.name}" is already published in ${subject.env} from ${holder.path}; rename this prompt or unpublish that one.`,
    { field: 'content' },
  );
}
