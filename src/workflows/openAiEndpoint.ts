import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ChatModelError, type ChatModel, type ChatRequest } from './chatModel';
import { redact, redactStream } from './keyRedaction';

export const MODEL_BASE_URL_VARIABLE = 'PROMPTOPS_MODEL_BASE_URL';
export const MODEL_API_KEY_VARIABLE = 'PROMPTOPS_MODEL_API_KEY';
export const MODEL_TIMEOUT_VARIABLE = 'PROMPTOPS_MODEL_TIMEOUT_MS';
const DEFAULT_TIMEOUT_MS = 60_000;

/** Where an OpenAI-compatible chat-completions endpoint is, and how to authenticate to it. */
export interface EndpointConfig {
  baseURL: string;
  /** Undefined for endpoints without authentication (a local Ollama, vLLM or llama.cpp). */
  apiKey?: string;
  /** How long to wait for the answer to start, and then between two pieces of it. */
  timeoutMs: number;
}

/** The endpoint named by the environment, or an error that says which variables to set. */
export function endpointFromEnv(env: NodeJS.ProcessEnv = process.env): EndpointConfig {
  const baseURL = env[MODEL_BASE_URL_VARIABLE]?.trim();
  if (!baseURL) {
    throw new ChatModelError(
      `no model endpoint configured: set ${MODEL_BASE_URL_VARIABLE} to an OpenAI-compatible base URL ` +
        `(e.g. https://api.openai.com/v1, https://models.github.ai/inference, http://localhost:11434/v1) ` +
        `and ${MODEL_API_KEY_VARIABLE} to its API key`,
    );
  }
  const timeout = env[MODEL_TIMEOUT_VARIABLE]?.trim();
  const timeoutMs = timeout ? Number(timeout) : DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new ChatModelError(
      `${MODEL_TIMEOUT_VARIABLE} must be a whole number of milliseconds, got ${JSON.stringify(timeout)}`,
    );
  }
  const apiKey = env[MODEL_API_KEY_VARIABLE] || undefined;
  return { baseURL, timeoutMs, ...(apiKey ? { apiKey } : {}) };
}

/** Chat completions through the official `openai` client, streamed. */
export class OpenAiChatModel implements ChatModel {
  readonly description: string;
  private readonly client: OpenAI;

  constructor(private readonly config: EndpointConfig) {
    this.description = redact(config.baseURL, config.apiKey);
    this.client = new OpenAI({
      baseURL: config.baseURL,
      // The client insists on a key; keyless local servers ignore this one.
      apiKey: config.apiKey ?? 'no-key',
      timeout: config.timeoutMs,
      // One attempt: a person is waiting, and a 429 should be reported, not hidden behind back-off.
      maxRetries: 0,
    });
  }

  /** The answer as it streams; the key never leaves this module, not in an answer that echoes it either. */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string> {
    return redactStream(this.answer(request, signal), this.config.apiKey);
  }

  private async *answer(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string> {
    const idle = new IdleTimeout(this.config.timeoutMs, signal);
    try {
      const stream = await this.client.chat.completions.create(
        {
          ...request.parameters,
          model: request.model,
          messages: request.messages as ChatCompletionMessageParam[],
          stream: true,
        },
        { signal: idle.signal },
      );
      idle.reset();
      for await (const chunk of stream) {
        idle.reset();
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield text;
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      throw this.explain(e, idle.expired);
    } finally {
      idle.clear();
    }
  }

  /** An error a person can act on, with the key taken out wherever the endpoint echoed it. */
  private explain(e: unknown, timedOut: boolean): ChatModelError {
    const where = this.description;
    if (timedOut || e instanceof OpenAI.APIConnectionTimeoutError) {
      return new ChatModelError(
        `the model endpoint ${where} did not answer within ${this.config.timeoutMs} ms (${MODEL_TIMEOUT_VARIABLE})`,
      );
    }
    const status = e instanceof OpenAI.APIError ? (e as { status?: number }).status : undefined;
    if (status !== undefined) {
      const detail = redact(endpointMessage(e as EndpointError), this.config.apiKey);
      return new ChatModelError(`the model endpoint ${where} answered HTTP ${status}: ${detail}`, status);
    }
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    return new ChatModelError(`cannot reach the model endpoint ${where}: ${redact(cause, this.config.apiKey)}`);
  }
}

/** The endpoint's own words: its `error.message` when it sent one, else the client's summary. */
interface EndpointError {
  error?: unknown;
  message: string;
}

function endpointMessage(e: EndpointError): string {
  const body = e.error as { message?: unknown } | string | undefined;
  if (body && typeof body === 'object' && typeof body.message === 'string') return body.message;
  if (typeof body === 'string' && body) return body;
  return e.message.replace(/^\d{3}\s*/, '') || 'no message';
}

/** Aborts when nothing has arrived for `ms`: a stream that stalls half way must not hang the run. */
class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(
    private readonly ms: number,
    outer?: AbortSignal,
  ) {
    outer?.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
    this.reset();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
