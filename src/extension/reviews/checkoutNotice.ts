import type { CheckoutOutcome } from '../../workflows/checkoutReview';

/** What the editor says after Check Out (panel and command alike). */
export function checkoutNotice({ review, wrote, dataset, strayDataset }: CheckoutOutcome): string {
  const prompt = wrote
    ? `Checked out revision ${review.revision} of review #${review.id} into ${review.path} (sha256 ${review.headHash.slice(0, 12)}…, checked).`
    : `${review.path} already holds revision ${review.revision} of review #${review.id}.`;
  const tests = !dataset
    ? ''
    : dataset.wrote
      ? ` Its dataset went to ${dataset.path} (checked with the prompt against the reviewed head).`
      : ` ${dataset.path} already holds its dataset.`;
  const wroteAny = wrote || dataset?.wrote === true;
  const done = `${prompt}${tests} ${wroteAny ? 'It is a local change: nothing was committed.' : 'Nothing was changed.'}`;
  return strayDataset ? `${done} But ${strayDataset.warning}` : done;
}

/** Why Check Out is offered or not, for the panel's button. */
export function checkoutState(
  review: { status: 'open' | 'withdrawn' | 'published'; path: string; revision: number },
  offline: boolean,
): { allowed: boolean; reason: string } {
  if (offline) return { allowed: false, reason: 'The server cannot be reached; the content comes from it.' };
  switch (review.status) {
    case 'open':
      return {
        allowed: true,
        reason:
          `Put revision ${review.revision} (the server's copy, checked against its hash) into ${review.path} in your working tree. ` +
          'Refused, changing nothing, when the file has local edits of other content.',
      };
    case 'published':
      return { allowed: false, reason: 'Already published: Sync (or git pull) brings it in.' };
    case 'withdrawn':
      return { allowed: false, reason: 'The review was withdrawn.' };
  }
}
