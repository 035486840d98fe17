import type { RuleId } from '../../core/policy/decision';

/** Whether I may change a file, and the sentence that says why (shown in tooltips and Explain Access). */
export interface EditVerdict {
  allowed: boolean;
  reason: string;
  rule: RuleId | 'signed-out';
}

export const SIGNED_OUT_VERDICT: EditVerdict = Object.freeze({
  allowed: false,
  rule: 'signed-out',
  reason: 'Read-only: you are not signed in to PromptOps, so what you may change is unknown. Run "PromptOps: Sign In".',
});
