import type { ReviewPanel } from '../../../src/extension/panels/reviewPanel';
import type { BehaviourComparison, HostMessage, ReviewViewModel } from '../../../src/shared/webviewProtocol';

/** What a review panel's page shows, kept as the page keeps it (src/webview/main.ts) from what the host sends. */
export interface ReviewPanelView {
  /** The last review sent (the page renders it as sent). */
  readonly model: ReviewViewModel | undefined;
  /** The notice above the review; gone when the next action starts. */
  readonly notice: string | undefined;
  /** The error or refusal shown; gone when the next action starts or a review arrives. */
  readonly error: string | undefined;
  /** The last behaviour comparison shown. */
  readonly behaviour: { headHash: string; comparison: BehaviourComparison } | undefined;
}

const views = new WeakMap<ReviewPanel, ReviewPanelView>();

/**
 * Listens to what `panel` sends its page, the one way a review reaches the person, from a
 * Refresh on (the page's own): a test reads what is shown, not a field kept for it.
 */
export async function reviewPanelView(panel: ReviewPanel): Promise<ReviewPanelView> {
  const known = views.get(panel);
  if (known) return known;
  const view: { -readonly [K in keyof ReviewPanelView]: ReviewPanelView[K] } = {
    model: undefined,
    notice: undefined,
    error: undefined,
    behaviour: undefined,
  };
  views.set(panel, view);
  const webview = panel.panel.webview;
  const post = webview.postMessage.bind(webview);
  webview.postMessage = (message: HostMessage) => {
    switch (message.type) {
      case 'review':
        view.model = message.model;
        view.error = undefined;
        break;
      case 'busy':
        if (message.busy) [view.error, view.notice] = [undefined, undefined];
        break;
      case 'notice':
        view.notice = message.message;
        break;
      case 'error':
        view.error = message.message;
        break;
      case 'behaviour':
        view.behaviour = { headHash: message.headHash, comparison: message.comparison };
        break;
    }
    return post(message);
  };
  await panel.handleMessage({ type: 'refresh' });
  return view;
}
