import type { BuiltinRole } from '../../core/policy/actions';
import type { UserDto } from './users';

/** An invite as listed: never its token. */
export interface InviteDto {
  id: string;
  username: string;
  role: BuiltinRole;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** `expired` is worked out when listed; accepted and revoked invites stay in the list. */
  state: 'pending' | 'accepted' | 'revoked' | 'expired';
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface CreateInviteRequest {
  username: string;
  role: BuiltinRole;
  /** ISO 8601; default 7 days from now, at most 30 days. */
  expiresAt?: string;
}

/** The only time the token is shown: hand it to the invitee (`promptops invite accept <token>`, or `/invite#<token>`). */
export interface CreateInviteResponse {
  invite: InviteDto;
  token: string;
}

export interface InviteListResponse {
  invites: InviteDto[];
}

export interface AcceptInviteRequest {
  token: string;
  password: string;
}

/** The new account; the invitee then signs in with it. */
export interface AcceptInviteResponse {
  user: UserDto;
}
