import { parseAccessFile } from '../../core/access';
import { formatDiagnostic, hasErrors } from '../../core/diagnostics';
import type { Resource } from '../../core/policy/decision';
import { isPolicyReviewPath, ORG_REVIEW_WORKSPACE } from '../../core/review/policyApproval';
import type { CompiledPolicy } from '../../core/policy/compiledPolicy';
import { parsePromptFile } from '../../core/prompts';
import { contentSha256 } from '../../core/release/contentHash';
import { repoPathProblem } from '../../core/release/yamlFields';
import { refusal, type Refusable, type Refusal } from './refusal';
import { promptResource } from '../../core/policy/promptResource';

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

/** Why `path` cannot be a file in the repository (invalid, naming the field), or undefined when it can. */
export function repoPathRefusal(path: string, field = 'path'): Refusal | undefined {
  const problem = repoPathProblem(path);
  return problem ? refusal('invalid', 'validation_failed', `"${field}": ${problem}.`, { field }) : undefined;
}

/** Parses the content as the prompt file at `path`; refused (invalid) with every located problem when it is not a valid prompt. */
export function promptSubject(
  path: string,
  content: string,
  policy: CompiledPolicy,
  field = 'content',
): Refusable<PromptSubject> {
  if (isPolicyReviewPath(path)) return policySubject(path, content, policy, field);
  const parsed = parsePromptFile(path, content);
  if (!parsed.prompt || hasErrors(parsed.diagnostics)) {
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const where = first
      ? ` ${first.file}:${first.line}:${first.column}${first.field ? ` ${first.field}` : ''}: ${first.message}`
      : '';
    return {
      ok: false,
      refusal: refusal('invalid', 'invalid_prompt', `"${field}" is not a valid prompt file for ${path}:${where}`, {
        field,
        diagnostics: errors,
      }),
    };
  }
  const model = parsed.prompt.model;
  const placed = policy.placement(path, model.workspace, model.env);
  return {
    ok: true,
    value: {
      name: model.name,
      promptWorkspace: model.workspace ?? null,
      promptEnv: model.env ?? null,
      workspace: placed.workspace,
      env: placed.env,
      headHash: contentSha256(content),
    },
  };
}

/**
 * A review of the access file: checked as an access file (invalid, with every problem), filed
 * at the org level (ORG_REVIEW_WORKSPACE) with the first env, named by its path.
 */
function policySubject(path: string, content: string, policy: CompiledPolicy, field: string): Refusable<PromptSubject> {
  const { policy: parsed, diagnostics } = parseAccessFile(content);
  if (!parsed) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    return {
      ok: false,
      refusal: refusal(
        'invalid',
        'invalid_access_file',
        `"${field}" is not a valid access file: ${errors.map(formatDiagnostic).join('; ')}`,
        { field, diagnostics: errors },
      ),
    };
  }
  return {
    ok: true,
    value: {
      name: path,
      promptWorkspace: null,
      promptEnv: null,
      workspace: ORG_REVIEW_WORKSPACE,
      env: policy.policy.environments[0],
      headHash: contentSha256(content),
    },
  };
}

/** What requesting review of `path` with this subject is decided on: the access file is a protected file, not a prompt. */
export function subjectResource(path: string, subject: PromptSubject): Resource {
  if (isPolicyReviewPath(path)) return { kind: 'file', path };
  return promptResource(path, { workspace: subject.promptWorkspace, env: subject.promptEnv });
}
