import { fieldPath, type Diagnostic } from '../diagnostics';
import type { AccessPolicy } from '../access/accessPolicy';
import type { Position } from '../textPositions';
import type { PromptModel } from '../prompts/promptModel';
import type { Placement } from '../policy/compiledPolicy';

/** Where a prompt's own `env` and `workspace` fields stand, kept so placement can be re-checked without a re-parse. */
export interface PlacementFieldPositions {
  env?: Position;
  workspace?: Position;
}

/**
 * A prompt must name a declared env, and a workspace the access file has whose paths cover
 * the file (`placement` says which workspace field was ignored, and why). Without an
 * access file there is nothing to check against beyond the default env list.
 */
export function placementDiagnostics(
  path: string,
  model: PromptModel,
  policy: AccessPolicy,
  positions: PlacementFieldPositions,
  placement: Placement,
  /** Workspaces deleted on the server: not unknown, but granting nothing. */
  deleted: readonly string[] = [],
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
  const ignored = placement.ignoredWorkspace;
  if (ignored?.why === 'unknown' && deleted.some((d) => d.toLowerCase() === ignored.name.toLowerCase())) {
    out.push({
      ...at(
        positions.workspace,
        'workspace',
        `workspace "${ignored.name}" was deleted on the server: the prompt is placed by its path, in "${placement.workspace}", until an admin re-creates it`,
      ),
      severity: 'warning',
    });
  } else if (ignored?.why === 'unknown') {
    const names = policy.workspaces.map((w) => `"${w.name}"`).join(', ');
    out.push(
      at(
        positions.workspace,
        'workspace',
        `unknown workspace "${ignored.name}"; the access file has ${names} (the prompt is placed by its path until this is fixed)`,
      ),
    );
  } else if (ignored?.why === 'not-covering') {
    const globs = policy.workspaces.find((w) => w.name === ignored.name)?.paths ?? [];
    out.push(
      at(
        positions.workspace,
        'workspace',
        `workspace "${ignored.name}" does not cover this file (its paths: ${globs.map((g) => `"${g}"`).join(', ') || 'none'}); ` +
          `the path places it in "${placement.workspace}": move the file, or name a workspace whose paths cover it`,
      ),
    );
  }
  return out;
}
