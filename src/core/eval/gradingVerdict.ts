import type { GradingChoice } from './evalSuite';

/** What a grading model's answer says: the choice it settled on, or none it could be read as. */
export interface GradingOutcome {
  passed: boolean;
  score: number;
  detail: string;
}

/**
 * Reads a grader's answer as one of the choices. Graders reason before they decide, so the
 * choice named last wins; choices match as whole words, ignoring case, so `average` is not
 * found inside `below_average`. A choice passes when its score is above 0 (GitHub Models' rule).
 */
export function gradingVerdict(answer: string, choices: readonly GradingChoice[]): GradingOutcome {
  let best: { choice: GradingChoice; end: number } | undefined;
  for (const choice of choices) {
    const pattern = new RegExp(`(?<![\\w])${escapeRegExp(choice.choice)}(?![\\w])`, 'gi');
    for (const m of answer.matchAll(pattern)) {
      const end = m.index + m[0].length;
      if (!best || end > best.end || (end === best.end && choice.choice.length > best.choice.choice.length)) {
        best = { choice, end };
      }
    }
  }
  if (!best) {
    const shown = answer.trim().replace(/\s+/g, ' ').slice(0, 120);
    return {
      passed: false,
      score: 0,
      detail: `the grader's answer ${JSON.stringify(shown)} names none of ${choices.map((c) => c.choice).join(', ')}`,
    };
  }
  const { choice, score } = best.choice;
  return { passed: score > 0, score, detail: `graded ${JSON.stringify(choice)} (score ${score})` };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
