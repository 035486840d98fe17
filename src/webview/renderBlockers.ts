import type { ReviewViewModel } from '../shared/webviewProtocol';
import { h } from './dom';

/** Everything that keeps the head from being published, each once, in the order to fix them; nothing when none. */
export function blockersSection(model: ReviewViewModel): HTMLElement | undefined {
  if (!model.publishBlockers.length) return undefined;
  return h(
    'section',
    { class: 'blockers', 'aria-labelledby': 'blockers-h' },
    h('h2', { id: 'blockers-h' }, 'Publishing is blocked'),
    h('ol', { class: 'unmet' }, ...model.publishBlockers.map((b) => h('li', {}, b))),
  );
}
