import type { EvaluationRunDto } from '../shared/api/evaluations';
import type { ApiKeyDto, ApiKeyListResponse, CreateApiKeyRequest, CreateApiKeyResponse } from '../shared/api/apiKeys';
import type { AccessReviewResponse } from '../shared/api/accessReview';
import type {
  AcceptInviteResponse,
  CreateInviteRequest,
  CreateInviteResponse,
  InviteDto,
  InviteListResponse,
} from '../shared/api/invites';
import type { AuditCheckpointsResponse, AuditListResponse, AuditQuery } from '../shared/api/audit';
import type { LoginResponse, MeResponse } from '../shared/api/auth';
import type { DirectoryResponse } from '../shared/api/directory';
import type { AddSigningKeyRequest, SigningKeyDto, SigningKeyListResponse } from '../shared/api/signingKeys';

const signingKeysPath = (userId?: string) =>
  `/api/users/${userId === undefined ? 'me' : encodeURIComponent(userId)}/signing-keys`;
import type { HealthResponse } from '../shared/api/health';
import type { KeyChainResponse, PublicKeyResponse, RotateKeyResponse } from '../shared/api/keys';
import type { ApplyPolicyResponse, PolicyDto } from '../shared/api/policy';
import type {
  ReleaseListQuery,
  ReleaseListResponse,
  UnpublishRequest,
  UnpublishResponse,
} from '../shared/api/releases';
import type {
  ApproveReviewRequest,
  CreateReviewRequest,
  PublishReviewResponse,
  ReportDeliveryRequest,
  RequestChangesRequest,
  ReviewDto,
  ReviewListQuery,
  ReviewListResponse,
  ReviseReviewRequest,
  RevisionContentDto,
} from '../shared/api/reviews';
import type { CreateUserRequest, UpdateUserRequest, UserDto } from '../shared/api/users';
import type {
  CreateWorkspaceResponse,
  DeletedWorkspaceDto,
  WorkspaceDto,
  WorkspaceListResponse,
} from '../shared/api/workspaces';
import { PromptOpsApiError } from './promptOpsApiError';
import { queryString } from './queryString';

export interface PromptOpsClientOptions {
  /** e.g. `http://127.0.0.1:4700` (a trailing slash is fine). */
  server: string;
  /** A session token from `login`, or the static token. */
  token?: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** For tests or environments without a global fetch. */
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Typed client for every PromptOps server route, over the global fetch (Node 20, VS Code).
 * Every failure is a PromptOpsApiError carrying the server's status, code, message and
 * field, so callers show the server's own sentence.
 */
export class PromptOpsClient {
  readonly server: string;
  private token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: PromptOpsClientOptions) {
    this.server = normalizeServerUrl(options.server);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** The token requests are sent with (set by `login`). */
  get currentToken(): string | undefined {
    return this.token;
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  // sessions
  health(): Promise<HealthResponse> {
    return this.request('GET', '/healthz');
  }

  /** Signs in and keeps the token for later requests. */
  async login(username: string, password: string): Promise<LoginResponse> {
    const response = await this.request<LoginResponse>('POST', '/api/login', { username, password });
    this.token = response.token;
    return response;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/api/logout');
    this.token = undefined;
  }

  me(): Promise<MeResponse> {
    return this.request('GET', '/api/me');
  }

  // users (admin)
  async listUsers(): Promise<UserDto[]> {
    return (await this.request<{ users: UserDto[] }>('GET', '/api/users')).users;
  }

  createUser(user: CreateUserRequest): Promise<UserDto> {
    return this.request('POST', '/api/users', user);
  }

  getUser(id: string): Promise<UserDto> {
    return this.request('GET', `/api/users/${encodeURIComponent(id)}`);
  }

  updateUser(id: string, patch: UpdateUserRequest): Promise<UserDto> {
    return this.request('PATCH', `/api/users/${encodeURIComponent(id)}`, patch);
  }

  async deleteUser(id: string): Promise<void> {
    await this.request('DELETE', `/api/users/${encodeURIComponent(id)}`);
  }

  // commit-signing keys: the signed-in user's, or (admin) another user's by id
  async listSigningKeys(userId?: string): Promise<SigningKeyDto[]> {
    return (await this.request<SigningKeyListResponse>('GET', signingKeysPath(userId))).keys;
  }

  addSigningKey(publicKey: string, userId?: string): Promise<SigningKeyDto> {
    const body: AddSigningKeyRequest = { publicKey };
    return this.request('POST', signingKeysPath(userId), body);
  }

  async removeSigningKey(fingerprint: string, userId?: string): Promise<void> {
    await this.request('DELETE', `${signingKeysPath(userId)}/${encodeURIComponent(fingerprint)}`);
  }

  // API keys: create (the token is in this response only), list (own; admins all), revoke
  createApiKey(request: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    return this.request('POST', '/api/api-keys', request);
  }

  async listApiKeys(): Promise<ApiKeyDto[]> {
    return (await this.request<ApiKeyListResponse>('GET', '/api/api-keys')).keys;
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.request('DELETE', `/api/api-keys/${encodeURIComponent(id)}`);
  }

  // invites: create (the token is in this response only), list, revoke; accept needs no sign-in
  createInvite(request: CreateInviteRequest): Promise<CreateInviteResponse> {
    return this.request('POST', '/api/invites', request);
  }

  async listInvites(): Promise<InviteDto[]> {
    return (await this.request<InviteListResponse>('GET', '/api/invites')).invites;
  }

  async revokeInvite(id: string): Promise<void> {
    await this.request('DELETE', `/api/invites/${encodeURIComponent(id)}`);
  }

  acceptInvite(token: string, password: string): Promise<AcceptInviteResponse> {
    return this.request('POST', '/api/invites/accept', { token, password });
  }

  /** Admins: every user × workspace × env with their effective role, and flags; `days`: the sign-in window. */
  accessReview(days?: number): Promise<AccessReviewResponse> {
    return this.request('GET', `/api/access-review${days === undefined ? '' : `?days=${days}`}`);
  }

  // workspaces
  async listWorkspaces(): Promise<WorkspaceDto[]> {
    return (await this.request<{ workspaces: WorkspaceDto[] }>('GET', '/api/workspaces')).workspaces;
  }

  /** Workspaces deleted through the API: they grant nothing even while the access file declares them. */
  async listDeletedWorkspaces(): Promise<DeletedWorkspaceDto[]> {
    return (await this.request<WorkspaceListResponse>('GET', '/api/workspaces')).deleted;
  }

  createWorkspace(name: string): Promise<CreateWorkspaceResponse> {
    return this.request('POST', '/api/workspaces', { name });
  }

  async deleteWorkspace(id: string): Promise<void> {
    await this.request('DELETE', `/api/workspaces/${encodeURIComponent(id)}`);
  }

  // the access file
  /** The access file in force, or undefined before the first apply. */
  async getPolicy(): Promise<PolicyDto | undefined> {
    try {
      return await this.request<PolicyDto>('GET', '/api/policy');
    } catch (err) {
      if (err instanceof PromptOpsApiError && err.code === 'no_policy') return undefined;
      throw err;
    }
  }

  /** Applies the access file as committed at `commit` (see `promptops apply`). */
  applyPolicy(content: string, commit: string): Promise<ApplyPolicyResponse> {
    return this.request('PUT', '/api/policy', { content, commit });
  }

  publicKey(): Promise<PublicKeyResponse> {
    return this.request('GET', '/api/keys/public');
  }

  /** The rotations of the server's signing key and the text of `.promptops/keys.yaml`. */
  keyChain(): Promise<KeyChainResponse> {
    return this.request('GET', '/api/keys/chain');
  }

  /** Rotates the server's signing key (admins); returns the chain with the new link. */
  rotateKey(): Promise<RotateKeyResponse> {
    return this.request('POST', '/api/keys/rotate');
  }

  // reviews
  createReview(review: CreateReviewRequest): Promise<ReviewDto> {
    return this.request('POST', '/api/reviews', review);
  }

  listReviews(query: ReviewListQuery = {}): Promise<ReviewListResponse> {
    return this.request('GET', `/api/reviews${queryString(query)}`);
  }

  getReview(id: string): Promise<ReviewDto> {
    return this.request('GET', `/api/reviews/${encodeURIComponent(id)}`);
  }

  getReviewRevision(id: string, revision: number): Promise<RevisionContentDto> {
    return this.request('GET', `/api/reviews/${encodeURIComponent(id)}/revisions/${revision}`);
  }

  reviseReview(id: string, revision: ReviseReviewRequest): Promise<ReviewDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/revisions`, revision);
  }

  comment(id: string, body: string): Promise<ReviewDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/comments`, { body });
  }

  approve(id: string, approval: ApproveReviewRequest): Promise<ReviewDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/approve`, approval);
  }

  requestChanges(id: string, request: RequestChangesRequest): Promise<ReviewDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/request-changes`, request);
  }

  withdraw(id: string, note?: string): Promise<ReviewDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/withdraw`, note === undefined ? {} : { note });
  }

  publish(id: string, headHash: string): Promise<PublishReviewResponse> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/publish`, { headHash });
  }

  /**
   * The server evaluates the review's head on its own model and stores the run
   * (`evaluation.run`). It takes as long as its model calls: pass the review's
   * `evaluation.budgetMs` (see src/workflows/runReviewEvaluation.ts) rather than the 30 s every other request gets.
   */
  runEvaluation(id: string, timeoutMs?: number): Promise<EvaluationRunDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/evaluations`, undefined, timeoutMs);
  }

  /** Where the published commit is (release branch, or its own branch awaiting a merge); a publisher's report. */
  reportDelivery(id: string, delivery: ReportDeliveryRequest): Promise<ReviewDto> {
    return this.request('POST', `/api/reviews/${encodeURIComponent(id)}/delivery`, delivery);
  }

  // releases, directory, audit
  listReleases(query: ReleaseListQuery = {}): Promise<ReleaseListResponse> {
    return this.request('GET', `/api/releases${queryString(query)}`);
  }

  /** Retire the newest release of a prompt in an env (prompt.publish there). */
  unpublish(body: UnpublishRequest): Promise<UnpublishResponse> {
    return this.request('POST', '/api/releases/unpublish', body);
  }

  directory(): Promise<DirectoryResponse> {
    return this.request('GET', '/api/directory');
  }

  listAudit(query: AuditQuery = {}): Promise<AuditListResponse> {
    return this.request('GET', `/api/audit${queryString(query)}`);
  }

  auditCheckpoints(): Promise<AuditCheckpointsResponse> {
    return this.request('GET', '/api/audit/checkpoints');
  }

  private async request<T>(method: Method, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.server + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer within ${timeoutMs / 1000} s`
          : describeNetworkError(err);
      const error = new PromptOpsApiError(
        0,
        'network',
        `Could not reach the PromptOps server at ${this.server}: ${why}.`,
      );
      error.timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw error;
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw PromptOpsApiError.fromBody(response.status, response.statusText, parsed);
    return parsed as T;
  }
}

/** Whether a request failed because no answer came in time (the server may still be working). */
export function isNoAnswerInTime(err: unknown): boolean {
  return err instanceof PromptOpsApiError && err.code === 'network' && err.timedOut === true;
}

/** `http://host:port` without a trailing slash; throws on anything that is not an http(s) URL. */
export function normalizeServerUrl(server: string): string {
  let url: URL;
  try {
    url = new URL(server.trim());
  } catch {
    throw new PromptOpsApiError(0, 'bad_server_url', `"${server}" is not a URL; expected e.g. http://127.0.0.1:4700.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PromptOpsApiError(0, 'bad_server_url', `"${server}" is not an http:// or https:// URL.`);
  }
  return url.toString().replace(/\/+$/, '');
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
