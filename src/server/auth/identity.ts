import type { BuiltinRole } from '../../core/policy/actions';
import type { SessionUser } from '../store/records';

/** Who made a request, as re-read from the store for this very request. */
export type Identity =
  | { kind: 'static-token'; role: 'admin' }
  | { kind: 'session'; role: BuiltinRole; user: SessionUser; tokenHash: string };

/** The name recorded as creator/actor: the username, or null for the static token. */
export function actorName(identity: Identity): string | null {
  return identity.kind === 'session' ? identity.user.username : null;
}
