import {
  isReviewPanelState,
  type BehaviourComparison,
  type HostMessage,
  type ReviewPanelState,
  type ReviewViewModel,
  type WebviewMessage,
} from '../shared/webviewProtocol';
import { h } from './dom';
import { renderReview } from './renderReview';

interface VsCodeApi<State> {
  postMessage(message: WebviewMessage): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

/** The review panel's page: renders what the host sends and posts the user's actions back. */
const vscode = acquireVsCodeApi<ReviewPanelState>();
const app = document.getElementById('app')!;
let model: ReviewViewModel | undefined;
let busy: string | undefined;
let error: string | undefined;
let notice: string | undefined;
/** The behavioural diff, shown while the review's head is the one it ran on. */
let behaviour: { headHash: string; comparison: BehaviourComparison } | undefined;

function render(): void {
  // Keep what the user was typing across re-renders.
  const typed = new Map([...app.querySelectorAll('textarea')].map((t) => [t.id, t.value]));
  const focused =
    document.activeElement instanceof HTMLElement
      ? (document.activeElement.dataset.action ?? document.activeElement.id)
      : undefined;
  app.replaceChildren();
  if (error) app.append(h('p', { class: 'banner error', role: 'alert' }, error));
  if (notice) app.append(h('p', { class: 'banner info', role: 'status' }, notice));
  const shownBehaviour = behaviour && behaviour.headHash === model?.headHash ? behaviour.comparison : undefined;
  if (model) app.append(renderReview(model, (m) => vscode.postMessage(m), busy, shownBehaviour));
  for (const t of app.querySelectorAll('textarea')) t.value = typed.get(t.id) ?? '';
  if (focused)
    (app.querySelector<HTMLElement>(`[data-action="${focused}"]`) ?? document.getElementById(focused))?.focus();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'review':
      model = message.model;
      error = undefined;
      vscode.setState({ reviewId: model.id });
      break;
    case 'busy':
      busy = message.busy ? (message.label ?? 'Working…') : undefined;
      if (message.busy) [error, notice] = [undefined, undefined];
      break;
    case 'notice':
      notice = message.message;
      break;
    case 'error':
      error = message.message;
      break;
    case 'behaviour':
      behaviour = { headHash: message.headHash, comparison: message.comparison };
      break;
  }
  render();
});

const saved = vscode.getState();
if (isReviewPanelState(saved)) document.title = `Review ${saved.reviewId}`;
vscode.postMessage({ type: 'ready' });
