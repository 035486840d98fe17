const REDACTED = '[redacted]';

/** Every copy of the key taken out of a text. */
export function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join(REDACTED) : text;
}

/**
 * Takes the key out of an answer as it streams: the endpoint (or a proxy in front of it)
 * may echo it, and a server-side run's answers are stored in the review for every reader.
 * A key split across pieces is caught by holding back the end of each piece that could be
 * the start of the key, until the next piece shows whether it is.
 */
export async function* redactStream(pieces: AsyncIterable<string>, apiKey: string | undefined): AsyncIterable<string> {
  if (!apiKey) {
    yield* pieces;
    return;
  }
  let pending = '';
  for await (const piece of pieces) {
    const text = redact(pending + piece, apiKey);
    const held = heldBack(text, apiKey);
    pending = text.slice(text.length - held);
    const ready = text.slice(0, text.length - held);
    if (ready) yield ready;
  }
  if (pending) yield pending;
}

/** How many characters at the end of `text` begin the key (shorter than the key itself). */
function heldBack(text: string, apiKey: string): number {
  for (let n = Math.min(apiKey.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(apiKey.slice(0, n))) return n;
  }
  return 0;
}
