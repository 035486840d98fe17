import type {
  ComparisonView,
  FieldChange,
  MessageChange,
  ReviewActionState,
  ReviewViewModel,
  TextRun,
  WebviewMessage,
} from '../shared/webviewProtocol';
import type { BehaviourComparison } from '../shared/webviewProtocol';
import { h } from './dom';
import { behaviourSection } from './renderBehaviour';
import { blockersSection } from './renderBlockers';
import { evaluationSection } from './renderEvaluation';

export type Send = (message: WebviewMessage) => void;

function runs(list: TextRun[]): HTMLElement {
  const pre = h('pre', { class: 'runs' });
  for (const r of list)
    pre.append(r.kind === 'added' ? h('ins', {}, r.text) : r.kind === 'removed' ? h('del', {}, r.text) : r.text);
  return pre;
}

const STATUS_LABEL: Record<FieldChange['status'], string> = {
  same: 'unchanged',
  added: 'added',
  removed: 'removed',
  changed: 'changed',
};

function fieldRow(f: FieldChange): HTMLElement {
  return h(
    'tr',
    { class: `status-${f.status}` },
    h('th', { scope: 'row' }, f.field),
    h(
      'td',
      {},
      f.before === undefined
        ? h('span', { class: 'muted' }, '—')
        : f.status === 'same'
          ? f.before
          : h('del', {}, f.before),
    ),
    h(
      'td',
      {},
      f.after === undefined
        ? h('span', { class: 'muted' }, '—')
        : f.status === 'same'
          ? f.after
          : h('ins', {}, f.after),
    ),
    h('td', { class: 'badge-cell' }, h('span', { class: `badge badge-${f.status}` }, STATUS_LABEL[f.status])),
  );
}

function messageBlock(m: MessageChange): HTMLElement {
  return h(
    'section',
    {
      class: `message status-${m.status}`,
      'aria-label': `Message ${m.position}, ${m.role}, ${STATUS_LABEL[m.status]}`,
    },
    h(
      'header',
      {},
      h('span', { class: 'role' }, m.role),
      ' ',
      h('span', { class: `badge badge-${m.status}` }, STATUS_LABEL[m.status]),
    ),
    runs(m.runs),
  );
}

function button(
  label: string,
  action: string,
  state: ReviewActionState | undefined,
  onClick: () => void,
  primary = false,
): HTMLButtonElement {
  const b = h(
    'button',
    {
      type: 'button',
      class: primary ? 'primary' : 'secondary',
      'data-action': action,
      title: state?.reason,
      disabled: state ? !state.allowed : false,
    },
    label,
  );
  b.addEventListener('click', onClick);
  return b;
}

/** The whole panel for one review. */
export function renderReview(
  model: ReviewViewModel,
  send: Send,
  busyLabel: string | undefined,
  behaviour?: BehaviourComparison,
): HTMLElement {
  const root = h('div', { class: 'review' });
  const a = model.approval;
  root.append(
    h(
      'header',
      { class: 'title' },
      h('h1', {}, model.name),
      h('span', { class: `badge badge-review-${model.status}` }, model.status),
    ),
    h(
      'p',
      { class: 'meta' },
      h('code', {}, model.path),
      ` · workspace ${model.workspace} · env ${model.env} · revision ${model.revision} · by ${model.author}`,
    ),
  );
  if (model.offline)
    root.append(
      h(
        'p',
        { class: 'banner warning', role: 'status' },
        'The server cannot be reached. This is the last copy, read-only; nothing is approved or published offline.',
      ),
    );
  if (model.release)
    root.append(
      h(
        'p',
        { class: 'banner info' },
        `Published by ${model.release.publisher} at ${new Date(model.release.publishedAt).toLocaleString()} (sha256 ${model.release.sha256.slice(0, 12)}…).`,
      ),
    );
  if (model.release?.waitingForMerge)
    root.append(h('p', { class: 'banner warning', role: 'status' }, `${model.release.waitingForMerge}.`));

  // Approval rule and progress.
  const counted = a.counted.length;
  const progress = h('progress', {
    max: String(a.required),
    value: String(Math.min(counted, a.required)),
    'aria-label': `${counted} of ${a.required} approvals`,
  });
  root.append(
    h(
      'section',
      { class: 'approval', 'aria-labelledby': 'approval-h' },
      h('h2', { id: 'approval-h' }, 'Approval'),
      h(
        'p',
        {},
        `Needs ${a.required} approval${a.required === 1 ? '' : 's'} from ${a.from.join(', ')}${a.selfApproval ? '' : '; the author may not approve their own change'}.`,
      ),
      h(
        'p',
        { class: a.met ? 'met' : 'unmet' },
        progress,
        ` ${counted} of ${a.required} — ${a.met ? 'rule met' : 'not met yet'}`,
      ),
      a.counted.length ? h('p', {}, `Approved by ${a.counted.join(', ')}.`) : undefined,
      a.changesRequestedBy.length
        ? h('p', { class: 'unmet' }, `Changes requested by ${a.changesRequestedBy.join(', ')}.`)
        : undefined,
      a.ignored.length
        ? h('ul', { class: 'ignored' }, ...a.ignored.map((i) => h('li', {}, `${i.username}: ${i.reason}`)))
        : undefined,
    ),
  );

  root.append(evaluationSection(model));
  const blockers = blockersSection(model);
  if (blockers) root.append(blockers);

  // Actions.
  const note = h('textarea', {
    id: 'note',
    rows: '2',
    placeholder: 'Note for Approve or Request changes (required for Request changes)',
    'aria-label': 'Review note',
  });
  const actions = h(
    'section',
    { class: 'actions', 'aria-label': 'Review actions' },
    note,
    h(
      'div',
      { class: 'buttons' },
      button(
        'Approve',
        'approve',
        model.actions.approve,
        () => send({ type: 'approve', note: note.value, headHash: model.headHash }),
        true,
      ),
      button('Request changes', 'requestChanges', model.actions.requestChanges, () => {
        if (!note.value.trim()) {
          note.focus();
          note.setAttribute('aria-invalid', 'true');
          return;
        }
        send({ type: 'requestChanges', note: note.value, headHash: model.headHash });
      }),
      button('Publish', 'publish', model.actions.publish, () => send({ type: 'publish' })),
      model.actions.runEvaluation.allowed
        ? button('Run evaluation', 'runEvaluation', model.actions.runEvaluation, () => send({ type: 'runEvaluation' }))
        : undefined,
      button('Compare behaviour', 'compareBehaviour', model.actions.compareBehaviour, () =>
        send({ type: 'compareBehaviour' }),
      ),
      button('Check Out', 'checkout', model.actions.checkout, () => send({ type: 'checkout' })),
      button('Open in diff editor', 'openDiff', undefined, () =>
        send({ type: 'openDiff', comparison: shownComparison(model) }),
      ),
      button('Refresh', 'refresh', undefined, () => send({ type: 'refresh' })),
    ),
    busyLabel ? h('p', { class: 'muted', role: 'status' }, busyLabel) : undefined,
  );
  if (busyLabel) for (const b of actions.querySelectorAll('button')) b.disabled = true;
  root.append(actions);

  // Every revision's note.
  if (model.revisions.length > 1 || model.revisions.some((r) => r.note))
    root.append(
      h(
        'section',
        { class: 'revisions', 'aria-labelledby': 'revisions-h' },
        h('h2', { id: 'revisions-h' }, 'Revisions'),
        h(
          'ol',
          {},
          ...model.revisions.map((r) =>
            h(
              'li',
              { value: String(r.number) },
              h('strong', {}, r.author),
              ` (${new Date(r.createdAt).toLocaleString()})`,
              r.note ? `: ${r.note}` : h('span', { class: 'muted' }, ' — no note'),
            ),
          ),
        ),
      ),
    );

  if (behaviour) root.append(behaviourSection(behaviour));
  root.append(changeSection(model));
  // The dataset is part of what an approval approves: shown in full, beside the change.
  if (model.dataset)
    root.append(
      h(
        'section',
        { class: 'dataset', 'aria-labelledby': 'dataset-h' },
        h('h2', { id: 'dataset-h' }, 'Test dataset'),
        h(
          'p',
          { class: 'muted' },
          h('code', {}, model.dataset.path),
          " — reviewed with the prompt; the server's evaluation runs its tests.",
        ),
        h('pre', {}, model.dataset.content),
      ),
    );
  // Conversation.
  const comment = h('textarea', { id: 'comment', rows: '2', placeholder: 'Write a comment', 'aria-label': 'Comment' });
  const history = [
    ...model.verdicts.map((v) => ({
      at: v.createdAt,
      node: h(
        'li',
        { class: v.dismissed ? 'dismissed' : '' },
        h('strong', {}, v.username),
        ` ${v.verdict === 'approve' ? 'approved' : 'requested changes'} (revision ${v.revision})${v.dismissed ? ', dismissed by a later revision' : ''}${v.note ? `: ${v.note}` : ''}`,
      ),
    })),
    ...model.comments.map((c) => ({
      at: c.createdAt,
      node: h('li', {}, h('strong', {}, c.username), ` (revision ${c.revision}): ${c.body}`),
    })),
  ].sort((x, y) => x.at.localeCompare(y.at));
  root.append(
    h(
      'section',
      { class: 'conversation', 'aria-labelledby': 'conv-h' },
      h('h2', { id: 'conv-h' }, 'Conversation'),
      history.length
        ? h('ul', {}, ...history.map((x) => x.node))
        : h('p', { class: 'muted' }, 'No approvals or comments yet.'),
      comment,
      h(
        'div',
        { class: 'buttons' },
        button(
          'Comment',
          'comment',
          model.actions.comment,
          () => comment.value.trim() && send({ type: 'comment', body: comment.value }),
        ),
      ),
    ),
  );
  return root;
}

/** The comparison each review shows in its tab strip, kept across re-renders of the same revision. */
const chosenComparison = new Map<string, { revision: number; kind: ComparisonView['kind'] }>();

/** The changes, one tab per comparison (most useful first, opened on the default), each saying what it compares with. */
function changeSection(model: ReviewViewModel): HTMLElement {
  const selected = shownComparison(model);
  const section = h('section', { class: 'change', 'aria-label': 'What changed' });
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Compare with' });
  const panels = model.comparisons.map((c) =>
    h(
      'div',
      {
        class: 'comparison',
        role: 'tabpanel',
        id: `comparison-${c.kind}`,
        'aria-labelledby': `tab-${c.kind}`,
        'data-comparison': c.kind,
        hidden: c.kind !== selected,
      },
      h('h2', {}, c.title),
      c.notice ? h('p', { class: 'muted' }, c.notice) : undefined,
      ...comparisonBody(c),
    ),
  );
  model.comparisons.forEach((c, i) => {
    const tab = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${c.kind}`,
        class: 'tab',
        'aria-controls': `comparison-${c.kind}`,
        'aria-selected': c.kind === selected ? 'true' : 'false',
        'data-comparison': c.kind,
      },
      c.title,
    );
    tab.addEventListener('click', () => {
      chosenComparison.set(model.id, { revision: model.revision, kind: c.kind });
      for (const t of tabs.querySelectorAll('[role="tab"]')) t.setAttribute('aria-selected', String(t === tab));
      panels.forEach((p, j) => (p.hidden = j !== i));
    });
    tabs.append(tab);
  });
  section.append(tabs, ...panels);
  for (const u of model.unavailableComparisons) section.append(h('p', { class: 'muted unavailable' }, u));
  return section;
}

function comparisonBody(c: ComparisonView): HTMLElement[] {
  if (c.rawDiff) return [runs(c.rawDiff)];
  const changedFields = c.fields.filter((f) => f.status !== 'same');
  return [
    h('h3', {}, `Fields${changedFields.length ? '' : ' (unchanged)'}`),
    h(
      'table',
      { class: 'fields' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'field'),
          h('th', { scope: 'col' }, 'before'),
          h('th', { scope: 'col' }, 'proposed'),
          h('th', { scope: 'col' }, ''),
        ),
      ),
      h('tbody', {}, ...c.fields.map(fieldRow)),
    ),
    h('h3', {}, 'Messages'),
    ...c.messages.map(messageBlock),
  ];
}

/** The comparison tab the reviewer is looking at (the diff editor compares with the same version). */
function shownComparison(model: ReviewViewModel): ReviewViewModel['defaultComparison'] {
  const kept = chosenComparison.get(model.id);
  return kept && kept.revision === model.revision && model.comparisons.some((c) => c.kind === kept.kind)
    ? kept.kind
    : model.defaultComparison;
}
