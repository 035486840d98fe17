import { BUILTIN_ROLES, type BuiltinRole } from '../../core/policy/actions';

/** viewer < editor < admin: each role can do everything the ones before it can (the seed's table). */
export function roleAtLeast(role: BuiltinRole, minimum: BuiltinRole): boolean {
  return BUILTIN_ROLES.indexOf(role) >= BUILTIN_ROLES.indexOf(minimum);
}
