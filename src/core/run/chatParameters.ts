/** The request fields a chat-completions endpoint takes from a prompt's own parameters. */
export interface ChatParameters {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  seed?: number;
  stop?: string | string[];
  response_format?: { type: 'json_object' | 'text' };
}

/** Each format's spelling (snake_case, GitHub Models' camelCase, Prompty v2's `maxOutputTokens`) of the numeric fields. */
const NUMERIC: Record<string, keyof ChatParameters> = {
  temperature: 'temperature',
  top_p: 'top_p',
  topP: 'top_p',
  max_tokens: 'max_tokens',
  maxTokens: 'max_tokens',
  max_output_tokens: 'max_tokens',
  maxOutputTokens: 'max_tokens',
  max_completion_tokens: 'max_tokens',
  presence_penalty: 'presence_penalty',
  presencePenalty: 'presence_penalty',
  frequency_penalty: 'frequency_penalty',
  frequencyPenalty: 'frequency_penalty',
  seed: 'seed',
};

/**
 * The parameters an OpenAI-compatible endpoint understands. Others (a Humanloop file's
 * `provider` or `tools`, Prompty's `connection`, …) are left out: running sends text only.
 */
export function chatParameters(parameters: Record<string, unknown>): ChatParameters {
  const out: ChatParameters = {};
  for (const [key, value] of Object.entries(parameters)) {
    const field = Object.hasOwn(NUMERIC, key) ? NUMERIC[key] : undefined;
    if (field && typeof value === 'number' && Number.isFinite(value)) (out as Record<string, number>)[field] = value;
  }
  const stop = parameters.stop ?? parameters.stopSequences;
  if (typeof stop === 'string' || (Array.isArray(stop) && stop.every((s) => typeof s === 'string'))) out.stop = stop;
  const format = parameters.response_format ?? parameters.responseFormat;
  const type = typeof format === 'string' ? format : (format as { type?: unknown } | undefined)?.type;
  if (type === 'json_object' || type === 'text') out.response_format = { type };
  return out;
}
