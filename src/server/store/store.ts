import type {
  LoginThrottleRecord,
  NewUser,
  DeletedWorkspaceRecord,
  NewWorkspace,
  SessionRecord,
  SessionUser,
  SigningKeyRecord,
  UserPatch,
  UserRecord,
  WorkspaceRecord,
} from './records';
import type { ApiKeyListing, ApiKeyRecord, FoundApiKey } from './apiKeyRecords';
import type { InviteRecord } from './inviteRecords';
import type { AuditCheckpointRecord, AuditFilter, AuditRecord, NewAuditEntry } from './auditRecords';
import type { ClaimedPolicyReview, NewPolicyVersion, PolicyVersionRecord } from './policyRecords';
import type {
  NewReview,
  ReleaseFilter,
  PublishedName,
  PublishedVersion,
  ReleaseRow,
  ReviewChange,
  ReviewOutcome,
  ReviewFilter,
  ReviewSummaryRecord,
  ReviewState,
  ReviewVerdicts,
  UnpublishDecision,
  UnpublishOutcome,
} from './reviewRecords';

import type { AdminChange } from '../../core/users/lastAdmin';

export type StoreDialect = 'sqlite' | 'postgres';

/** Outcome of a change that must leave at least one admin behind. */
export type AdminGuardedResult<T> = { status: 'ok'; value: T } | { status: 'not_found' } | { status: 'last_admin' };

/**
 * Whether a change to a user may go ahead (the last-admin rule, `keepsAnAdmin`, lives
 * above the store); pure and synchronous. False refuses with `last_admin`, nothing written.
 */
export type AdminGuard = (change: AdminChange) => boolean;

/**
 * Everything the server keeps. All state lives here (never only in one process's
 * memory) so several server processes can share one database. Methods that must hold
 * an invariant across processes (unique names, the last admin) are atomic in the store.
 * Writes that would break a unique constraint throw `ConflictError`.
 */
export interface Store {
  readonly dialect: StoreDialect;

  /** Cheap round trip for `/healthz`. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // users
  countUsers(): Promise<number>;
  /** `user.username` must already be normalised (`normalizeUsername`). */
  createUser(user: NewUser): Promise<UserRecord>;
  /**
   * Creates the first-start account unless one was ever created (a marker in `settings`),
   * atomically, so two processes starting together create it once. True when created now.
   */
  createInitialAdmin(user: NewUser): Promise<boolean>;
  getUserById(id: string): Promise<UserRecord | undefined>;
  /** Usernames are stored as `normalizeUsername` makes them; callers pass that form. */
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /**
   * Counts the admins and reads the user's role under a lock held until the change is
   * written, asks `guard`, then applies the patch, all in one transaction (two admins
   * demoting each other at once run one after the other). Changing the password clears
   * `defaultPassword` and ends the user's other sessions.
   */
  updateUser(id: string, patch: UserPatch, now: number, guard: AdminGuard): Promise<AdminGuardedResult<UserRecord>>;
  /** Removes the user and all their sessions, in one transaction with `guard`'s check (as `updateUser`). */
  deleteUser(id: string, guard: AdminGuard): Promise<AdminGuardedResult<void>>;
  hasUserWithDefaultPassword(): Promise<boolean>;

  // commit-signing keys
  /** Throws ConflictError (field `publicKey`) when the key is registered already, to anyone. */
  addSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord>;
  /** One user's keys, or everyone's (for the user directory); oldest first. */
  listSigningKeys(userId?: string): Promise<SigningKeyRecord[]>;
  /** The removed key, or undefined when the user has no key with this fingerprint. */
  removeSigningKey(userId: string, fingerprint: string): Promise<SigningKeyRecord | undefined>;

  // API keys (only the sha256 of a token is ever stored); a user's keys go with the user
  createApiKey(key: ApiKeyRecord): Promise<void>;
  /** The key and its creator (kept between requests only while `authGeneration` stands still). */
  findApiKey(id: string): Promise<FoundApiKey | undefined>;
  /** One creator's keys, or everyone's; oldest first. */
  listApiKeys(userId?: string): Promise<ApiKeyListing[]>;
  /** The deleted key, or undefined when there is none with this id. */
  deleteApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  touchApiKey(id: string, now: number): Promise<void>;

  // invites (only the sha256 of a token is ever stored); accepted and revoked ones are kept
  createInvite(invite: InviteRecord): Promise<void>;
  findInvite(id: string): Promise<InviteRecord | undefined>;
  /** Oldest first. */
  listInvites(): Promise<InviteRecord[]>;
  /** Marks a pending invite revoked; the invite as it now is, or undefined when there is none with this id. */
  revokeInvite(id: string, now: number): Promise<InviteRecord | undefined>;
  /**
   * In one transaction: marks the invite accepted if it is still pending at `user.now`
   * and creates the user. `gone` when it was accepted, revoked or had expired (another
   * request may have won); ConflictError (field `username`) when the name is taken.
   */
  acceptInvite(id: string, user: NewUser): Promise<'accepted' | 'gone'>;

  // sessions (only the sha256 of a token is ever stored)
  /**
   * A number that moves, in the same commit, with every change to users, sessions and API
   * keys other than their last use (by whichever process makes it): an identity read after
   * it and while it is unchanged is still the identity. Read on every authenticated request.
   */
  authGeneration(): Promise<number>;
  createSession(session: SessionRecord): Promise<void>;
  /**
   * The session and its user in one indexed query (one prepared statement, no joins
   * beyond the user), so role changes apply on the next request. Runs on every
   * authenticated request: keep it to one row read from each of two primary keys.
   */
  findSession(tokenHash: string): Promise<{ session: SessionRecord; user: SessionUser } | undefined>;
  touchSession(tokenHash: string, now: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(idleBefore: number, now: number): Promise<number>;

  // workspaces
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  /** Creates it and, in the same transaction, removes a tombstone of that name (re-creating is explicit). */
  createWorkspace(workspace: NewWorkspace): Promise<WorkspaceRecord>;
  getWorkspace(id: string): Promise<WorkspaceRecord | undefined>;
  /** Deletes it and leaves a tombstone, so applying an access file that declares it does not bring it back. */
  deleteWorkspace(id: string, deletedBy: string | null, now: number): Promise<boolean>;
  /** Workspaces deleted through the API and not re-created, by name. */
  listDeletedWorkspaces(): Promise<DeletedWorkspaceRecord[]>;

  // login throttling, keyed e.g. `user:alice`, `addr:127.0.0.1`
  getLoginThrottles(keys: readonly string[]): Promise<LoginThrottleRecord[]>;
  /** Adds one failure (starting over when the last one is older than `resetBefore`); returns the new count. */
  addLoginFailure(key: string, now: number, resetBefore: number): Promise<number>;
  blockLogin(key: string, until: number): Promise<void>;
  clearLoginThrottle(key: string): Promise<void>;

  // settings and keys
  getSetting(key: string): Promise<string | undefined>;
  /** Sets the value unless one is already stored; returns the stored value either way (atomic across processes). */
  putSettingIfAbsent(key: string, value: string): Promise<string>;
  /** Adds one to a counter kept in `settings` (starting at 1) and returns it, atomically across processes. */
  nextCounter(key: string): Promise<number>;

  // the access file the server decides with
  currentPolicy(): Promise<PolicyVersionRecord | undefined>;
  /** The newest applied version's number (0 before any apply): a cheap check before reading the file itself. */
  currentPolicyVersion(): Promise<number>;
  /**
   * Stores the next version, creates the workspaces it declares that do not exist yet
   * (never deletes any, never re-creates a deleted one) and writes the audit entry, in one transaction serialised
   * against other applies. `audit` gets the new version, the workspaces created and the review claimed
   * (`next.review`, closed in the same transaction, so approvals are spent exactly when the version is applied).
   */
  applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): Promise<PolicyVersionRecord>;

  // reviews and releases
  /** Stores an open review with its first revision and its audit entry; returns the new id. */
  createReview(review: NewReview, audit: (id: string) => NewAuditEntry): Promise<string>;
  getReviewState(id: string): Promise<ReviewState | undefined>;
  /** Newest first. */
  listReviews(filter: ReviewFilter): Promise<ReviewSummaryRecord[]>;
  /** Newest first, each with its verdicts, read together (one list query and one verdict query). */
  listReviewsWithVerdicts(filter: ReviewFilter): Promise<ReviewVerdicts[]>;
  /**
   * Reads the review's state under a write lock (BEGIN IMMEDIATE on SQLite, SELECT … FOR
   * UPDATE on PostgreSQL), lets `decide` (synchronous, pure) choose the writes, applies
   * them with the audit entry and returns `decide`'s result on the new state, all in one
   * transaction: concurrent actions on one review run as if one after another. A refusal
   * comes back as the outcome, with nothing written.
   */
  changeReview<R, Refusal>(
    id: string,
    now: number,
    decide: (state: ReviewState) => ReviewChange<R, Refusal>,
  ): Promise<ReviewOutcome<R, Refusal>>;
  /** Newest first. */
  listReleases(filter: ReleaseFilter): Promise<ReleaseRow[]>;
  /** What is published at `path` now: the newest release in each env that has one. */
  publishedVersions(path: string): Promise<PublishedVersion[]>;
  /** Where `name` is published now: each path and env whose newest release has that name (and was not unpublished). */
  publishedUnderName(name: string): Promise<PublishedName[]>;
  /**
   * Retires the newest release of `path` in `env`, in one transaction: `decide` gets it
   * (and may refuse by throwing, nothing written), signs the record and names the audit
   * entry, which is chained with the write. A release is unpublished at most once
   * (`already`, with the first record). A later publish of the path is a new release.
   */
  unpublishRelease<Refusal>(
    path: string,
    env: string,
    decide: UnpublishDecision<Refusal>,
  ): Promise<UnpublishOutcome<Refusal>>;

  // the audit log: append and read, never change. Every append chains the entry to the
  // tail (src/core/audit/auditChain.ts) under a lock, in the transaction that writes it.
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /**
   * Signs the chain's tail when it moved since the last checkpoint (`sign` gets the tail
   * entry's id and hash); serialised with appends. Returns the new checkpoint, if any.
   */
  checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): Promise<AuditCheckpointRecord | undefined>;
  /** Oldest first. */
  listAuditCheckpoints(): Promise<AuditCheckpointRecord[]>;
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<AuditRecord[]>;
}
