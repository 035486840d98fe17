import { fieldPath, type Diagnostic } from '../diagnostics';
import type { AccessPolicy } from '../access/accessPolicy';
import type { Position } from '../textPositions';
import type { PromptModel } from '../prompts/promptModel';

/** Where a prompt's own `env` and `workspace` fields stand, kept so placement can be re-checked without a re-parse. */
export interface PlacementFieldPositions {
  env?: Position;
  workspace?: Position;
}

/**
 * A prompt must name a declared env, and a workspace the access file has. Without an
 * access file there is nothing to check against beyond the default env list.
 */
export function placementDiagnostics(
  path: string,
  model: PromptModel,
  policy: AccessPolicy,
  positions: PlacementFieldPositions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (p: Position | undefined, field: string, message: string): Diagnostic => ({
    file: path,
    line: p?.line ?? 1,
    column: p?.column ?? 1,
    field: fieldPath([field]),
    message,
    severity: 'error',
  });
  if (model.env !== undefined && !policy.environments.includes(model.env)) {
    out.push(
      at(
        positions.env,
        'env',
        `unknown environment "${model.env}"; the access file declares ${policy.environments.map((e) => `"${e}"`).join(', ')}`,
      ),
    );
  }
  if (model.workspace !== undefined && !policy.workspaces.some((w) => w.name === model.workspace)) {
    const names = policy.workspaces.map((w) => `"${w.name}"`).join(', ');
    out.push(
      at(
        positions.workspace,
        'workspace',
        `unknown workspace "${model.workspace}"; the access file has ${names} (the prompt is placed by its path until this is fixed)`,
      ),
    );
  }
  return out;
}
