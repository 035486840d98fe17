import type { ReviewEvaluationDto, ReviewViewModel } from '../shared/webviewProtocol';
import { h } from './dom';

const percent = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;

type HeadRun = NonNullable<ReviewEvaluationDto['latest']>;

/** The head's evaluation beside the approvals: what the rule asks, its state, and the newest run of this head as a table. */
export function evaluationSection(model: ReviewViewModel): HTMLElement {
  const e = model.evaluation;
  const rule = e.required
    ? `The approval rule requires a passing evaluation of this revision: pass rate at least ${percent(e.passRate)}, ${e.runs} run${e.runs === 1 ? '' : 's'} per case.`
    : 'The approval rule does not require an evaluation.';
  const state = e.latest
    ? `${e.latest.passed ? 'Passed' : 'Failed'}: ${e.latest.passedRuns} of ${e.latest.judgedRuns} runs (${e.latest.judgedRuns ? percent(e.latest.passedRuns / e.latest.judgedRuns) : 'nothing judged'}), run #${e.latest.id} by ${e.latest.runBy} at ${new Date(e.latest.createdAt).toLocaleString()} on ${e.latest.model}.`
    : 'No run for this revision.';
  const met = e.required ? e.met : (e.latest?.passed ?? true);
  return h(
    'section',
    {
      class: 'evaluation',
      'aria-labelledby': 'evaluation-h',
      'data-evaluation': e.latest ? (e.latest.passed ? 'passed' : 'failed') : 'missing',
    },
    h('h2', { id: 'evaluation-h' }, 'Evaluation'),
    h('p', {}, rule),
    h('p', { class: met ? 'met' : 'unmet', role: 'status' }, state),
    e.outdated && !e.latest
      ? h(
          'p',
          { class: 'muted outdated' },
          `Outdated: run #${e.outdated.id} of revision ${e.outdated.revision} (${e.outdated.passed ? 'passed' : 'failed'}, by ${e.outdated.runBy}) does not count for this revision.`,
        )
      : undefined,
    e.latest ? runTable(e.latest) : undefined,
  );
}

function runTable(run: HeadRun): HTMLElement {
  return h(
    'table',
    { class: 'evaluation-cases' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'case'),
        h('th', { scope: 'col' }, 'input'),
        h('th', { scope: 'col' }, 'output'),
        h('th', { scope: 'col' }, 'verdicts'),
      ),
    ),
    h(
      'tbody',
      {},
      ...run.cases.map((c) =>
        h(
          'tr',
          { 'data-case': c.name },
          h('th', { scope: 'row' }, c.name),
          h(
            'td',
            {},
            c.input === null ? h('span', { class: 'muted' }, '—') : h('code', {}, c.input),
            ...(c.warnings ?? []).map((w) => h('p', { class: 'case-warning', role: 'note' }, `⚠ ${w}`)),
          ),
          h('td', {}, ...c.runs.map((r) => h('pre', { class: `output status-${r.status}` }, r.output))),
          h(
            'td',
            {},
            ...c.runs.map((r, i) =>
              h(
                'ul',
                { class: 'verdicts', 'aria-label': `Run ${i + 1}` },
                ...r.verdicts.map((v) =>
                  h(
                    'li',
                    { title: v.detail },
                    h('span', { class: `badge badge-verdict-${v.status}` }, v.status),
                    ` ${v.evaluator}`,
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
