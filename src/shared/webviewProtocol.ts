/**
 * Messages between the review panel's webview (src/webview) and its host
 * (src/extension/panels/reviewPanel.ts), both ways, plus the view model the host renders
 * from a server ReviewDto. The webview never talks to the server; it asks the host.
 */

// The diff's shape is core's (one implementation for the panel and `review show`); type-only, so
// the webview bundle never loads core.
export type { FieldChange, MessageChange, TextRun } from '../core/review/promptChanges';
import type { FieldChange, MessageChange, TextRun } from '../core/review/promptChanges';
import type { ReviewEvaluationDto } from './api/reviews';
import type { BehaviourComparison } from '../workflows/compareBehaviour';
export type { BehaviourComparison, BehaviourOutput } from '../workflows/compareBehaviour';
export type { ReviewEvaluationDto } from './api/reviews';

/** One comparison of the proposed version with another (a tab in the panel). */
export interface ComparisonView {
  kind: 'previousRevision' | 'baseCommit' | 'published';
  /** Says which comparison it is: "Changes since revision 1". */
  title: string;
  notice?: string;
  fields: FieldChange[];
  messages: MessageChange[];
  /** Set when either side could not be read as a prompt: the diff is then line by line. */
  rawDiff?: TextRun[];
}

export interface ReviewActionState {
  allowed: boolean;
  /** Why not (or what it does), for the button's tooltip. */
  reason: string;
}

export interface ReviewViewModel {
  id: string;
  name: string;
  path: string;
  workspace: string;
  env: string;
  status: 'open' | 'withdrawn' | 'published';
  author: string;
  note: string;
  revision: number;
  headHash: string;
  /** Null when nothing of this prompt is published yet. */
  baseHash: string | null;
  createdAt: string;
  /** Every revision with its note, oldest first. */
  revisions: { number: number; author: string; note: string; createdAt: string }[];
  /** The `<prompt>.tests.yaml` the head carries: approved with the prompt, run by the server's evaluation. */
  dataset: { path: string; content: string } | null;
  /** Most useful first; the panel opens on `defaultComparison`. */
  comparisons: ComparisonView[];
  defaultComparison: ComparisonView['kind'];
  /** Comparisons that could not be made, as sentences (e.g. a base commit not in the clone). */
  unavailableComparisons: string[];
  approval: {
    required: number;
    from: string[];
    selfApproval: boolean;
    met: boolean;
    counted: string[];
    ignored: { username: string; reason: string }[];
    changesRequestedBy: string[];
  };
  /** The head's evaluation: the rule, the gate, its newest run (the table) or an outdated one. */
  evaluation: ReviewEvaluationDto;
  /** What stands between the head and publishing, each once, in the order a person fixes them (empty: nothing). */
  publishBlockers: string[];
  verdicts: {
    username: string;
    verdict: 'approve' | 'request_changes';
    note: string;
    revision: number;
    createdAt: string;
    dismissed: boolean;
  }[];
  comments: { username: string; body: string; revision: number; createdAt: string }[];
  actions: {
    approve: ReviewActionState;
    requestChanges: ReviewActionState;
    comment: ReviewActionState;
    publish: ReviewActionState;
    /** Put the review's head into my working tree (`review checkout`). */
    checkout: ReviewActionState;
    /** The server evaluates the head (`evaluation.run`); the button shows only when allowed. */
    runEvaluation: ReviewActionState;
    /** Run the published and the proposed version on the test inputs with my model. */
    compareBehaviour: ReviewActionState;
  };
  release: {
    publisher: string;
    publishedAt: string;
    sha256: string;
    /** `published — waiting for merge into main` while the commit waits on a branch of its own. */
    waitingForMerge: string | null;
  } | null;
  /** The server did not answer on the last refresh: everything is shown read-only. */
  offline: boolean;
}

/** Host → webview. */
export type HostMessage =
  | { type: 'review'; model: ReviewViewModel }
  /** An action is running (buttons disable) or finished. */
  | { type: 'busy'; busy: boolean; label?: string }
  | { type: 'error'; message: string }
  /** Shown above the review until the next action, e.g. why it was reloaded. */
  | { type: 'notice'; message: string }
  /** The behavioural diff of the head the page shows: both versions' answers per test case. */
  | { type: 'behaviour'; headHash: string; comparison: BehaviourComparison };

/** Webview → host. */
export type WebviewMessage =
  /** The page has loaded its script and can receive the review. */
  | { type: 'ready' }
  /** `headHash`: the head the page showed (its model's), never the server's latest. */
  | { type: 'approve'; note: string; headHash: string }
  | { type: 'requestChanges'; note: string; headHash: string }
  | { type: 'comment'; body: string }
  | { type: 'publish' }
  | { type: 'checkout' }
  /** `comparison`: the tab shown, so the diff editor compares with the same version. */
  | { type: 'openDiff'; comparison?: ComparisonView['kind'] }
  | { type: 'refresh' }
  | { type: 'runEvaluation' }
  /** `model`: `endpoint` or a `vscode.lm` model id (scripted callers); absent, the user is asked as Run Prompt asks. */
  | { type: 'compareBehaviour'; model?: string };

/** What the webview keeps with `setState`, so the serializer can revive the panel after a reload. */
export interface ReviewPanelState {
  reviewId: string;
}

/** Checks a message from the webview before the host acts on it (the webview is less trusted). */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'publish':
    case 'checkout':
    case 'refresh':
    case 'runEvaluation':
      return true;
    case 'compareBehaviour':
      return m.model === undefined || (typeof m.model === 'string' && m.model.length <= 200);
    case 'openDiff':
      return (
        m.comparison === undefined || ['previousRevision', 'baseCommit', 'published'].includes(m.comparison as string)
      );
    case 'approve':
    case 'requestChanges':
      return (
        typeof m.note === 'string' &&
        m.note.length <= 10_000 &&
        typeof m.headHash === 'string' &&
        /^[0-9a-f]{64}$/.test(m.headHash)
      );
    case 'comment':
      return typeof m.body === 'string' && m.body.length > 0 && m.body.length <= 10_000;
    default:
      return false;
  }
}

export function isReviewPanelState(value: unknown): value is ReviewPanelState {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).reviewId === 'string';
}
