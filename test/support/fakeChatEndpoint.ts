import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the endpoint received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  authorization?: string;
  body: Record<string, unknown>;
}

/** How the endpoint answers the next request. */
export type EndpointReply =
  /** `pieceEveryMs`: a pause before each piece, for an answer that keeps talking slowly. */
  | { kind: 'answer'; pieces: string[]; model?: string; holdAfterFirst?: Promise<void>; pieceEveryMs?: number }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'silent' }
  /**
   * Computed from the request: `nth` counts earlier requests with the same model and
   * messages (0 the first time), so an answer can be keyed by the input and differ on a repeat.
   */
  | { kind: 'compute'; answer: (request: ChatRequestBody, nth: number) => string | EndpointReply };

/** The parts of a chat-completions request a computed answer looks at. */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
}

/**
 * A local OpenAI-compatible chat-completions endpoint speaking the real wire protocol:
 * `POST /v1/chat/completions`, JSON when `stream` is false, Server-Sent Events
 * (`data: {chunk}` … `data: [DONE]`) when true. The only fake these tests use: no model
 * can be reached from here.
 */
export class FakeChatEndpoint {
  readonly requests: ReceivedRequest[] = [];
  reply: EndpointReply = { kind: 'answer', pieces: ['Hello', ', world.'] };
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();
  private readonly seen = new Map<string, number>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeChatEndpoint> {
    const endpoint = new FakeChatEndpoint();
    await new Promise<void>((done) => endpoint.server.listen(0, '127.0.0.1', done));
    return endpoint;
  }

  /** The base URL a client is configured with (`…/v1`). */
  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return json(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    let reply = this.reply;
    if (reply.kind === 'compute') {
      const request = { model: String(body.model), messages: body.messages as ChatRequestBody['messages'] };
      const key = JSON.stringify(request);
      const nth = this.seen.get(key) ?? 0;
      this.seen.set(key, nth + 1);
      const computed = reply.answer(request, nth);
      reply = typeof computed === 'string' ? { kind: 'answer', pieces: [computed] } : computed;
    }
    if (reply.kind === 'compute') throw new Error('a computed reply must be an answer, an error or silence');
    if (reply.kind === 'error') {
      return json(res, reply.status, { error: { message: reply.message, type: 'api_error', code: null } });
    }
    if (reply.kind === 'silent') {
      this.open.add(res); // never answers; stop() ends it
      return;
    }
    const model = reply.model ?? String(body.model);
    const id = 'chatcmpl-fake';
    const created = 1_700_000_000;
    if (body.stream !== true) {
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.pieces.join('') }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    }
    this.open.add(res);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (delta: Record<string, unknown>, finish: string | null): void => {
      const chunk = {
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    send({ role: 'assistant', content: '' }, null);
    for (const [i, piece] of reply.pieces.entries()) {
      if (reply.pieceEveryMs) await new Promise((r) => setTimeout(r, reply.pieceEveryMs));
      if (res.destroyed) break;
      send({ content: piece }, null);
      if (i === 0 && reply.holdAfterFirst) await reply.holdAfterFirst;
    }
    send({}, 'stop');
    res.write('data: [DONE]\n\n');
    res.end();
    this.open.delete(res);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
