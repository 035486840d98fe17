import { roleAtLeast, type BuiltinRole } from '../policy/actions';

/**
 * Why `inviter` may not invite someone as `role`, or undefined when they may: an invite
 * never makes anyone more than the inviter (a team lead given user.invite cannot mint admins).
 */
export function inviteRoleRefusal(inviter: BuiltinRole, role: BuiltinRole): string | undefined {
  return roleAtLeast(inviter, role)
    ? undefined
    : `An invite cannot give a role above your own: you are ${inviter}, the invite asks for ${role}.`;
}
