import { hasErrors } from '../../core/diagnostics';
import type { CompiledPolicy } from '../../core/policy/compiledPolicy';
import { parsePromptFile } from '../../core/prompts';
import { contentSha256 } from '../../core/release/contentHash';
import { repoPathProblem } from '../../core/release/yamlFields';
import { HttpError, invalidField } from '../http/httpError';

/** What the server itself derives from a path and the proposed content: never taken from the client. */
export interface PromptSubject {
  name: string;
  /** The prompt's own `workspace` / `env` fields (null when it has none). */
  promptWorkspace: string | null;
  promptEnv: string | null;
  /** Placement under the server's access file. */
  workspace: string;
  env: string;
  headHash: string;
}

export function checkRepoPath(path: string, field = 'path'): void {
  const problem = repoPathProblem(path);
  if (problem) throw invalidField(field, `"${field}": ${problem}.`);
}

/** Parses the content as the prompt file at `path`; 422 with every located problem when it is not a valid prompt. */
export function promptSubject(path: string, content: string, policy: CompiledPolicy, field = 'content'): PromptSubject {
  const parsed = parsePromptFile(path, content);
  if (!parsed.prompt || hasErrors(parsed.diagnostics)) {
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const where = first
      ? ` ${first.file}:${first.line}:${first.column}${first.field ? ` ${first.field}` : ''}: ${first.message}`
      : '';
    throw new HttpError(
      422,
      'invalid_prompt',
      `"${field}" is not a valid prompt file for ${path}:${where}`,
      field,
      {},
      errors,
    );
  }
  const model = parsed.prompt.model;
  const placed = policy.placement(path, model.workspace, model.env);
  return {
    name: model.name,
    promptWorkspace: model.workspace ?? null,
    promptEnv: model.env ?? null,
    workspace: placed.workspace,
    env: placed.env,
    headHash: contentSha256(content),
  };
}
