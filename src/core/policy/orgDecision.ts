import { BUILTIN_PERMISSIONS, BUILTIN_ROLES, type OrgAction } from './actions';
import { limitToKeyScope } from './apiKeyScope';
import type { Actor, Decision } from './decision';
import * as reasons from './reasons';

const cache = new Map<string, Decision>();

/**
 * decide() for an org action, which needs no access file: the org role alone, then an
 * API key's scope. CompiledPolicy.decide answers org actions with this, so a caller that
 * has no policy at hand (the auth hook, `/api/me`) gets the same decision without reading one.
 */
export function decideOrgAction(actor: Actor, action: OrgAction): Decision {
  const d = orgRoleDecision(actor, action);
  return actor.apiKey ? limitToKeyScope(d, actor.apiKey, action, { kind: 'org' }) : d;
}

/** The person's side of an org action, shared and frozen per (role, action). */
export function orgRoleDecision(actor: Actor, action: OrgAction): Decision {
  const key = `${actor.role}\0${action}`;
  let d = cache.get(key);
  if (!d) {
    const allowed = BUILTIN_PERMISSIONS[actor.role].includes(action);
    const needed = BUILTIN_ROLES.find((r) => BUILTIN_PERMISSIONS[r].includes(action)) ?? 'admin';
    d = Object.freeze({
      allowed,
      rule: 'org-role' as const,
      reason: reasons.orgRoleReason(action, allowed, actor.role, needed),
      role: actor.role,
    });
    cache.set(key, d);
  }
  return d;
}

/**
 * Whether a change by `actor` passes while the access file cannot be read (a YAML error,
 * an unknown role): nothing can be decided then, so only who may apply the access file may
 * change things — to fix it. check and verify ask this; neither compares role names.
 */
export function mayChangeUnderBrokenAccessFile(actor: Actor): boolean {
  return orgRoleDecision(actor, 'policy.apply').allowed;
}
