import { inviteState, type InviteRecord } from '../store/inviteRecords';
import type { InviteDto } from '../../shared/api/invites';
import type { ApiKeyDto } from '../../shared/api/apiKeys';
import type { UserDto } from '../../shared/api/users';
import type { WorkspaceDto } from '../../shared/api/workspaces';
import type { ApiKeyListing } from '../store/apiKeyRecords';
import { isServiceAccount } from '../auth/serviceAccounts';
import type { SessionUser, UserRecord, WorkspaceRecord } from '../store/records';

const iso = (ms: number): string => new Date(ms).toISOString();

/** Picks the public fields explicitly, so the hash can never ride along. */
export function userDto(user: SessionUser | UserRecord): UserDto {
  const dto: UserDto = {
    id: user.id,
    username: user.username,
    role: user.role,
    emails: user.emails,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  };
  if ('passwordHash' in user && isServiceAccount(user)) dto.serviceAccount = true;
  return dto;
}

export function workspaceDto(workspace: WorkspaceRecord): WorkspaceDto {
  return {
    id: workspace.id,
    name: workspace.name,
    builtin: workspace.builtin,
    createdBy: workspace.createdBy,
    createdAt: iso(workspace.createdAt),
  };
}

/** Never the secret or its hash. */
export function apiKeyDto(key: ApiKeyListing): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    scope: { ...key.scope },
    createdBy: key.createdBy,
    createdAt: iso(key.createdAt),
    expiresAt: iso(key.expiresAt),
    lastUsedAt: key.lastUsedAt === null ? null : iso(key.lastUsedAt),
  };
}

export function inviteDto(invite: InviteRecord, now: number): InviteDto {
  return {
    id: invite.id,
    username: invite.username,
    role: invite.role,
    createdBy: invite.createdBy,
    createdAt: iso(invite.createdAt),
    expiresAt: iso(invite.expiresAt),
    state: inviteState(invite, now),
    acceptedAt: invite.acceptedAt === null ? null : iso(invite.acceptedAt),
    revokedAt: invite.revokedAt === null ? null : iso(invite.revokedAt),
  };
}
