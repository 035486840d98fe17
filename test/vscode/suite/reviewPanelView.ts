import type { ReviewPanel } from '../../../src/extension/panels/reviewPanel';
import type { HostMessage, ReviewViewModel } from '../../../src/shared/webviewProtocol';

/** What a review panel's page shows: the last review the host sent it (the page renders it as sent). */
export interface ReviewPanelView {
  readonly model: ReviewViewModel | undefined;
}

const views = new WeakMap<ReviewPanel, ReviewPanelView>();

/**
 * Listens to what `panel` sends its page, the one way a review reaches the person, from a
 * Refresh on (the page's own): a test reads what is shown, not a field kept for it.
 */
export async function reviewPanelView(panel: ReviewPanel): Promise<ReviewPanelView> {
  const known = views.get(panel);
  if (known) return known;
  const view: { model: ReviewViewModel | undefined } = { model: undefined };
  views.set(panel, view);
  const webview = panel.panel.webview;
  const post = webview.postMessage.bind(webview);
  webview.postMessage = (message: HostMessage) => {
    if (message.type === 'review') view.model = message.model;
    return post(message);
  };
  await panel.handleMessage({ type: 'refresh' });
  return view;
}
