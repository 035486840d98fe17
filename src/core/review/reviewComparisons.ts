/**
 * Which comparisons a reviewer is offered for a review, in which order, which is shown
 * first, and what each is called: the same choice for the review panel and `review show`.
 * Pure data; the caller reads the other sides (the server's revisions, the reviewer's git).
 */

/** What the proposed version is compared with. */
export type ComparisonKind = 'previousRevision' | 'baseCommit' | 'published';

/** How the reviewer's own git answered for the review's base commit. */
export type BaseCommitLookup =
  /** The requester sent no commit (or the reviewer has no git repository). */
  | { state: 'none'; reason?: string }
  /**
   * `content` undefined: the file did not exist at that commit. `fetchedFrom`: it was fetched
   * just now. `offBranch`: the remote branch (`origin/main`) the commit is not on; the
   * requester chose it, so it may itself hold changes nobody reviewed.
   */
  | { state: 'found'; commit: string; content: string | undefined; fetchedFrom?: string; offBranch?: string }
  | { state: 'missing'; commit: string; triedFetchFrom?: string };

export interface ComparisonInputs {
  /** The review's current revision. */
  revision: number;
  /** The revision before it, with its content; undefined for revision 1 or when it could not be read. */
  previous?: { number: number; content: string };
  /** Why the previous revision is missing although revision > 1 (e.g. the server did not answer). */
  previousUnavailable?: string;
  baseCommit: BaseCommitLookup;
  /** The server's published version in the review's env; null when nothing is published there. */
  published: { env: string; content: string | null };
}

export interface ComparisonChoice {
  kind: ComparisonKind;
  /** What the comparison is, as a heading or tab: "Changes since revision 1". */
  title: string;
  /** The other side; undefined when the prompt did not exist there (everything is added). */
  before: string | undefined;
  /** A sentence to show with it, e.g. that nothing is published yet or the commit was fetched. */
  notice?: string;
}

export interface ComparisonPlan {
  /** Most useful first: the first is the default. */
  comparisons: ComparisonChoice[];
  defaultKind: ComparisonKind;
  /** Comparisons that could not be offered, each as a sentence ("base commit abc1234 is not in your clone"). */
  unavailable: string[];
}

export const shortCommit = (sha: string): string => sha.slice(0, 7);

/**
 * The comparisons for a review: since the previous revision (when there is one), against
 * the base commit as the reviewer's git resolves it (when it does), and against the
 * published version (always). The order is the order of usefulness, so the default is the
 * first: what changed since I last looked, else the drafter's own change, else everything
 * not yet published. A base commit off the shared branch comes last: its content is what
 * its id says, but the requester picked it.
 */
export function planComparisons(inputs: ComparisonInputs): ComparisonPlan {
  const comparisons: ComparisonChoice[] = [];
  const unavailable: string[] = [];
  if (inputs.previous) {
    comparisons.push({
      kind: 'previousRevision',
      title: `Changes since revision ${inputs.previous.number}`,
      before: inputs.previous.content,
    });
  } else if (inputs.revision > 1) {
    unavailable.push(
      `Revision ${inputs.revision - 1} could not be read${inputs.previousUnavailable ? `: ${inputs.previousUnavailable}` : ''}.`,
    );
  }
  const base = inputs.baseCommit;
  let baseChoice: ComparisonChoice | undefined;
  if (base.state === 'found') {
    const short = shortCommit(base.commit);
    const notices = [
      base.fetchedFrom ? `Fetched base commit ${short} from ${base.fetchedFrom}.` : undefined,
      base.offBranch
        ? `Base commit ${short} is not on ${base.offBranch}: it may itself hold changes nobody reviewed; compare with the published version too.`
        : undefined,
      base.content === undefined ? `The file does not exist at ${short}: all of it is new.` : undefined,
    ].filter((n): n is string => n !== undefined);
    baseChoice = {
      kind: 'baseCommit',
      title: `Changes against your git's base commit ${short}`,
      before: base.content,
      ...(notices.length ? { notice: notices.join(' ') } : {}),
    };
    // A base off the shared branch is the requester's choice, so it is never what opens first.
    if (!base.offBranch) comparisons.push(baseChoice);
  } else if (base.state === 'missing') {
    unavailable.push(
      `Base commit ${shortCommit(base.commit)} is not in your clone${base.triedFetchFrom ? ` (not found by fetching ${base.triedFetchFrom})` : ''}.`,
    );
  } else if (base.reason) {
    unavailable.push(base.reason);
  }
  const published = inputs.published;
  comparisons.push({
    kind: 'published',
    title: `Changes against the published version (${published.env})`,
    before: published.content ?? undefined,
    ...(published.content === null
      ? { notice: `Nothing is published in ${published.env} yet: all of it is new.` }
      : {}),
  });
  if (baseChoice && base.state === 'found' && base.offBranch) comparisons.push(baseChoice);
  return { comparisons, defaultKind: comparisons[0].kind, unavailable };
}
