import type { GradingChoice } from './evalSuite';

/** A GitHub built-in evaluator as PromptOps grades it: what the grader is asked, on a 1–5 scale. */
export interface BuiltinGrading {
  /** What a rating measures, in the grader's words. */
  criterion: string;
  /** Case variables the grading needs (`expected` for similarity). */
  needs: readonly string[];
}

/**
 * The `uses: github/…` evaluators GitHub Models documents. PromptOps has its own grading
 * prompts for them (one template, one criterion each), so ratings are comparable but not
 * identical to GitHub's.
 */
export const BUILTIN_EVALUATORS: Readonly<Record<string, BuiltinGrading>> = {
  'github/similarity': {
    criterion: 'how close in meaning the answer is to the expected answer (5: same meaning; 1: unrelated)',
    needs: ['expected'],
  },
  'github/coherence': {
    criterion: 'how coherent the answer is: logically ordered, consistent, easy to follow (5: fully; 1: not at all)',
    needs: [],
  },
  'github/fluency': {
    criterion: 'how fluent the answer is: grammatical, natural, well-worded (5: fully; 1: not at all)',
    needs: [],
  },
  'github/relevance': {
    criterion: 'how well the answer addresses the input it was given (5: fully and only; 1: not at all)',
    needs: [],
  },
  'github/groundedness': {
    criterion: 'how far every claim in the answer is supported by the input it was given (5: all; 1: none)',
    needs: [],
  },
};

/** Ratings 4 and 5 pass: a built-in asks for good, not merely passable, answers. */
export const BUILTIN_CHOICES: readonly GradingChoice[] = [
  { choice: '1', score: 0 },
  { choice: '2', score: 0 },
  { choice: '3', score: 0 },
  { choice: '4', score: 0.75 },
  { choice: '5', score: 1 },
];
