import { ACTIONS, type Action } from '../../core/policy/actions';
import { heldActions } from '../../core/policy/heldActions';
import type { PromptOpsModel } from '../model/promptOpsModel';

/** What the Create API Key dialog offers: only what I may grant (a key never exceeds its creator). */
export interface ApiKeyScopeChoices {
  workspaces: string[];
  envs: string[];
  actions: Action[];
}

/** The workspaces and envs of the access file in force, and the actions I hold somewhere in it. */
export function apiKeyScopeChoices(model: PromptOpsModel): ApiKeyScopeChoices {
  const user = model.session.user;
  const policy = model.index?.policy;
  if (!user || !policy) return { workspaces: [], envs: [], actions: [] };
  const held = heldActions(policy, user);
  return {
    workspaces: model.workspaceNames(),
    envs: [...policy.environments],
    actions: ACTIONS.filter((a) => held.has(a)),
  };
}
