import type { AuditCheckpointRecord, AuditFilter, AuditRecord, NewAuditEntry } from './auditRecords';
import type { ClaimedPolicyReview, NewPolicyVersion, PolicyVersionRecord } from './policyRecords';
import type {
  NewReview,
  PublishedName,
  UnpublishDecision,
  UnpublishOutcome,
  PublishedVersion,
  ReleaseFilter,
  ReleaseRow,
  ReviewChange,
  ReviewOutcome,
  ReviewFilter,
  ReviewSummaryRecord,
  ReviewState,
  ReviewVerdicts,
} from './reviewRecords';
import type {
  DeletedWorkspaceRecord,
  LoginThrottleRecord,
  NewUser,
  NewWorkspace,
  SessionRecord,
  SessionUser,
  SigningKeyRecord,
  UserPatch,
  UserRecord,
  WorkspaceRecord,
} from './records';
import type { PlanRunner } from './sqlPlan';
import type { AdminGuard, AdminGuardedResult, Store } from './store';
import * as users from './userPlans';
import * as sessions from './sessionPlans';
import * as workspaces from './workspacePlans';
import * as throttle from './loginThrottlePlans';
import * as settings from './settingPlans';
import * as invites from './invitePlans';
import type { InviteRecord } from './inviteRecords';
import * as signingKeys from './signingKeyPlans';
import * as apiKeys from './apiKeyPlans';
import * as policies from './policyPlans';
import * as reviews from './reviewPlans';
import * as releases from './releasePlans';
import * as audits from './auditPlans';
import type { ApiKeyListing, ApiKeyRecord, FoundApiKey } from './apiKeyRecords';

/**
 * The store on either database: each method runs one plan (`*Plans.ts`, SQL and row
 * mapping written once), in a transaction where several statements must stand or fall
 * together, or in one snapshot where several reads must agree; the dialect supplies
 * only the `PlanRunner`. Business rules (the last admin, a review action's `decide`,
 * unpublish's `decide`) come from above as functions the plan calls inside its
 * transaction.
 */
export abstract class SqlStore implements Omit<Store, 'dialect' | 'ping' | 'close'> {
  protected constructor(private readonly plans: PlanRunner) {}

  countUsers(): Promise<number> {
    return this.plans.run(users.countUsers());
  }

  createUser(user: NewUser): Promise<UserRecord> {
    return this.plans.transaction(users.createUser(user));
  }

  createInitialAdmin(user: NewUser): Promise<boolean> {
    return this.plans.transaction(users.createInitialAdmin(user));
  }

  getUserById(id: string): Promise<UserRecord | undefined> {
    return this.plans.run(users.getUserById(id));
  }

  getUserByUsername(username: string): Promise<UserRecord | undefined> {
    return this.plans.run(users.getUserByUsername(username));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.plans.run(users.listUsers());
  }

  updateUser(id: string, patch: UserPatch, now: number, guard: AdminGuard): Promise<AdminGuardedResult<UserRecord>> {
    return this.plans.transaction(users.updateUser(id, patch, now, guard));
  }

  deleteUser(id: string, guard: AdminGuard): Promise<AdminGuardedResult<void>> {
    return this.plans.transaction(users.deleteUser(id, guard));
  }

  hasUserWithDefaultPassword(): Promise<boolean> {
    return this.plans.run(users.hasUserWithDefaultPassword());
  }

  authGeneration(): Promise<number> {
    return this.plans.run(sessions.authGeneration());
  }

  createSession(session: SessionRecord): Promise<void> {
    return this.plans.run(sessions.createSession(session));
  }

  findSession(tokenHash: string): Promise<{ session: SessionRecord; user: SessionUser } | undefined> {
    return this.plans.run(sessions.findSession(tokenHash));
  }

  touchSession(tokenHash: string, now: number): Promise<void> {
    return this.plans.run(sessions.touchSession(tokenHash, now));
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.plans.run(sessions.deleteSession(tokenHash));
  }

  deleteExpiredSessions(idleBefore: number, now: number): Promise<number> {
    return this.plans.run(sessions.deleteExpiredSessions(idleBefore, now));
  }

  listWorkspaces(): Promise<WorkspaceRecord[]> {
    return this.plans.run(workspaces.listWorkspaces());
  }

  createWorkspace(workspace: NewWorkspace): Promise<WorkspaceRecord> {
    return this.plans.transaction(workspaces.createWorkspace(workspace));
  }

  getWorkspace(id: string): Promise<WorkspaceRecord | undefined> {
    return this.plans.run(workspaces.getWorkspace(id));
  }

  deleteWorkspace(id: string, deletedBy: string | null, now: number): Promise<boolean> {
    return this.plans.transaction(workspaces.deleteWorkspace(id, deletedBy, now));
  }

  listDeletedWorkspaces(): Promise<DeletedWorkspaceRecord[]> {
    return this.plans.run(workspaces.listDeletedWorkspaces());
  }

  getLoginThrottles(keys: readonly string[]): Promise<LoginThrottleRecord[]> {
    return this.plans.run(throttle.getLoginThrottles(keys));
  }

  addLoginFailure(key: string, now: number, resetBefore: number): Promise<number> {
    return this.plans.run(throttle.addLoginFailure(key, now, resetBefore));
  }

  blockLogin(key: string, until: number): Promise<void> {
    return this.plans.run(throttle.blockLogin(key, until));
  }

  clearLoginThrottle(key: string): Promise<void> {
    return this.plans.run(throttle.clearLoginThrottle(key));
  }

  getSetting(key: string): Promise<string | undefined> {
    return this.plans.run(settings.getSetting(key));
  }

  putSettingIfAbsent(key: string, value: string): Promise<string> {
    return this.plans.run(settings.putSettingIfAbsent(key, value));
  }

  nextCounter(key: string): Promise<number> {
    return this.plans.run(settings.nextCounter(key));
  }

  createInvite(invite: InviteRecord): Promise<void> {
    return this.plans.run(invites.createInvite(invite));
  }

  findInvite(id: string): Promise<InviteRecord | undefined> {
    return this.plans.run(invites.findInvite(id));
  }

  listInvites(): Promise<InviteRecord[]> {
    return this.plans.run(invites.listInvites());
  }

  revokeInvite(id: string, now: number): Promise<InviteRecord | undefined> {
    return this.plans.run(invites.revokeInvite(id, now));
  }

  acceptInvite(id: string, user: NewUser): Promise<'accepted' | 'gone'> {
    return this.plans.transaction(invites.acceptInvite(id, user));
  }

  /** In a transaction only so that a key registered already becomes ConflictError (field `publicKey`). */
  addSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    return this.plans.transaction(signingKeys.addSigningKey(key));
  }

  listSigningKeys(userId?: string): Promise<SigningKeyRecord[]> {
    return this.plans.run(signingKeys.listSigningKeys(userId));
  }

  removeSigningKey(userId: string, fingerprint: string): Promise<SigningKeyRecord | undefined> {
    return this.plans.run(signingKeys.removeSigningKey(userId, fingerprint));
  }

  createApiKey(key: ApiKeyRecord): Promise<void> {
    return this.plans.run(apiKeys.createApiKey(key));
  }

  findApiKey(id: string): Promise<FoundApiKey | undefined> {
    return this.plans.run(apiKeys.findApiKey(id));
  }

  listApiKeys(userId?: string): Promise<ApiKeyListing[]> {
    return this.plans.run(apiKeys.listApiKeys(userId));
  }

  deleteApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    return this.plans.run(apiKeys.deleteApiKey(id));
  }

  touchApiKey(id: string, now: number): Promise<void> {
    return this.plans.run(apiKeys.touchApiKey(id, now));
  }

  currentPolicy(): Promise<PolicyVersionRecord | undefined> {
    return this.plans.run(policies.currentPolicy());
  }

  currentPolicyVersion(): Promise<number> {
    return this.plans.run(policies.currentPolicyVersion());
  }

  applyPolicy(
    next: NewPolicyVersion,
    audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
  ): Promise<PolicyVersionRecord> {
    return this.plans.transaction(policies.applyPolicy(next, audit));
  }

  createReview(review: NewReview, audit: (id: string) => NewAuditEntry): Promise<string> {
    return this.plans.transaction(reviews.createReview(review, audit));
  }

  getReviewState(id: string): Promise<ReviewState | undefined> {
    return this.plans.snapshot(reviews.getReviewState(id));
  }

  listReviews(filter: ReviewFilter): Promise<ReviewSummaryRecord[]> {
    return this.plans.run(reviews.listReviews(filter));
  }

  /** Over a network one joined statement saves round trips; in process two statements cost less CPU (bench/RESULTS.md). */
  listReviewsWithVerdicts(filter: ReviewFilter): Promise<ReviewVerdicts[]> {
    return this.plans.roundTrips
      ? this.plans.run(reviews.listReviewsWithVerdicts(filter))
      : this.plans.snapshot(reviews.listReviewsThenVerdicts(filter));
  }

  changeReview<R, Refusal>(
    id: string,
    now: number,
    decide: (state: ReviewState) => ReviewChange<R, Refusal>,
  ): Promise<ReviewOutcome<R, Refusal>> {
    return this.plans.transaction(reviews.changeReview(id, now, decide));
  }

  listReleases(filter: ReleaseFilter): Promise<ReleaseRow[]> {
    return this.plans.run(releases.listReleases(filter));
  }

  publishedVersions(path: string): Promise<PublishedVersion[]> {
    return this.plans.run(releases.publishedVersions(path));
  }

  publishedUnderName(name: string): Promise<PublishedName[]> {
    return this.plans.run(releases.publishedUnderName(name));
  }

  unpublishRelease<Refusal>(
    path: string,
    env: string,
    decide: UnpublishDecision<Refusal>,
  ): Promise<UnpublishOutcome<Refusal>> {
    return this.plans.transaction(releases.unpublishRelease(path, env, decide));
  }

  appendAudit(entry: NewAuditEntry): Promise<void> {
    return this.plans.transaction(audits.appendAudit(entry));
  }

  checkpointAudit(
    sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
  ): Promise<AuditCheckpointRecord | undefined> {
    return this.plans.transaction(audits.checkpointAudit(sign));
  }

  listAuditCheckpoints(): Promise<AuditCheckpointRecord[]> {
    return this.plans.run(audits.listAuditCheckpoints());
  }

  listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.plans.run(audits.listAudit(filter));
  }
}
