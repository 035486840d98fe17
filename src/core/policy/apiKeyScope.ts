import type { Action } from './actions';
import type { Decision, Resource } from './decision';

/**
 * What an API key may be used for. A key never adds rights: each decision made for it is
 * its creator's own decision, refused as well when the key's scope leaves the action, the
 * workspace or the env out. Absent `workspaces` / `envs` mean every one.
 */
export interface ApiKeyScope {
  /** The key's name, for the reasons refusals give. */
  name: string;
  actions: readonly Action[];
  workspaces?: readonly string[];
  envs?: readonly string[];
}

const list = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');

/**
 * The intersection of the creator's decision `person` (made by the same decide() as for
 * everyone, with the creator's current role and bindings) and the key's scope. The
 * key's own limits are reported first, so a refusal names what the key lacks.
 */
export function limitToKeyScope(person: Decision, scope: ApiKeyScope, action: Action, resource: Resource): Decision {
  const refuse = (reason: string): Decision => ({ ...person, allowed: false, rule: 'api-key-scope', reason });
  const outOfScope = actionOutOfScope(scope, action);
  if (outOfScope) return refuse(outOfScope);
  // Org-wide resources (users, API keys, the access file) belong to no workspace or env.
  if (resource.kind !== 'org') {
    const workspace = person.workspace;
    if (scope.workspaces && workspace !== undefined && !scope.workspaces.includes(workspace)) {
      return refuse(
        `The API key \`${scope.name}\` is limited to the workspaces ${list(scope.workspaces)}; this is in \`${workspace}\`.`,
      );
    }
    const env = person.env;
    if (scope.envs && env !== undefined && !scope.envs.includes(env)) {
      return refuse(`The API key \`${scope.name}\` is limited to the envs ${list(scope.envs)}; this is in \`${env}\`.`);
    }
  }
  if (!person.allowed) {
    return { ...person, reason: `The API key \`${scope.name}\` has only its creator's rights: ${person.reason}` };
  }
  return person;
}

/** Why the key's scope leaves `action` out, or undefined when it includes it. */
export function actionOutOfScope(scope: ApiKeyScope, action: Action): string | undefined {
  if (scope.actions.includes(action)) return undefined;
  return `The API key \`${scope.name}\` may not ${action}: its scope allows ${list(scope.actions)}.`;
}
