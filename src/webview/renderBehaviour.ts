import type { BehaviourComparison, BehaviourOutput } from '../shared/webviewProtocol';
import { h } from './dom';

function cell(output: BehaviourOutput | null): HTMLElement {
  if (output === null) return h('td', { class: 'muted' }, 'Nothing published yet.');
  if ('error' in output) return h('td', {}, h('p', { class: 'unmet' }, output.error));
  return h('td', {}, h('pre', { class: 'output' }, output.output));
}

/** The behavioural diff: per test case, the published version's answer beside the proposed one's. */
export function behaviourSection(comparison: BehaviourComparison): HTMLElement {
  return h(
    'section',
    { class: 'behaviour', 'aria-labelledby': 'behaviour-h' },
    h('h2', { id: 'behaviour-h' }, 'Behaviour: published vs proposed'),
    h('p', { class: 'muted' }, `Answers from ${comparison.model}, one request per case and version.`),
    h(
      'table',
      { class: 'behaviour-cases' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'case'),
          h('th', { scope: 'col' }, 'input'),
          h('th', { scope: 'col' }, 'published'),
          h('th', { scope: 'col' }, 'proposed'),
        ),
      ),
      h(
        'tbody',
        {},
        ...comparison.cases.map((c) => {
          const changed =
            c.published !== null && 'output' in c.published && 'output' in c.proposed
              ? c.published.output !== c.proposed.output
              : true;
          return h(
            'tr',
            { 'data-case': c.name, class: changed ? 'status-changed' : 'status-same' },
            h('th', { scope: 'row' }, c.name),
            h('td', {}, h('code', {}, c.input)),
            cell(c.published),
            cell(c.proposed),
          );
        }),
      ),
    ),
  );
}
