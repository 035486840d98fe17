/**
 * How a test inside the extension host asks the runner, which drives the browser, to do
 * what only a person could: type on the keyboard, read and click a notification, take a
 * screenshot. The request goes out as a console line (the runner receives the host's
 * console through `codeAutomationLog`); the runner answers by creating
 * `<browserDir>/<id>.done`, holding `{ answer }` or, when it could not, `{ error }` (JSON).
 */
export const BROWSER_REQUEST_PREFIX = '@@promptops-browser ';

export type BrowserRequest =
  /** Click into the active editor's text, then type `text` key by key. */
  | { id: string; kind: 'type'; text: string }
  /** Save a PNG of the whole workbench as `<screenshotDir>/<name>.png`. */
  | { id: string; kind: 'screenshot'; name: string }
  /** Click the first element matching `selector` inside any webview frame (they are nested iframes). */
  | { id: string; kind: 'clickInWebview'; selector: string }
  /** Wait until each selector matches a visible element of the workbench (outside webviews). */
  | { id: string; kind: 'waitFor'; selectors: string[] }
  /**
   * The messages in the notification center, which the test has opened (the answer, a string
   * array); with `waitFor`, first wait for one that contains it, and with `click`, then press its
   * button of that label.
   */
  | { id: string; kind: 'notifications'; waitFor?: string; click?: string };

export interface BrowserReply {
  answer?: unknown;
  error?: string;
}

/** A request as a test writes it; the id is added on sending. */
export type BrowserRequestBody = BrowserRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export function parseBrowserRequest(line: string): BrowserRequest | undefined {
  const at = line.indexOf(BROWSER_REQUEST_PREFIX);
  if (at < 0) return undefined;
  try {
    const value: unknown = JSON.parse(line.slice(at + BROWSER_REQUEST_PREFIX.length));
    if (typeof value !== 'object' || value === null) return undefined;
    const r = value as Record<string, unknown>;
    if (typeof r.id !== 'string') return undefined;
    if (r.kind === 'type' && typeof r.text === 'string') return { id: r.id, kind: 'type', text: r.text };
    if (r.kind === 'screenshot' && typeof r.name === 'string' && /^[\w.-]+$/.test(r.name))
      return { id: r.id, kind: 'screenshot', name: r.name };
    if (r.kind === 'clickInWebview' && typeof r.selector === 'string')
      return { id: r.id, kind: 'clickInWebview', selector: r.selector };
    if (r.kind === 'waitFor' && Array.isArray(r.selectors) && r.selectors.every((x) => typeof x === 'string'))
      return { id: r.id, kind: 'waitFor', selectors: r.selectors };
    if (
      r.kind === 'notifications' &&
      (r.waitFor === undefined || typeof r.waitFor === 'string') &&
      (r.click === undefined || typeof r.click === 'string')
    )
      return { id: r.id, kind: 'notifications', waitFor: r.waitFor, click: r.click };
  } catch {
    // not a request
  }
  return undefined;
}
