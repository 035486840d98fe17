import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { formatDiagnostic } from '../core/diagnostics';
import type { Actor, Decision } from '../core/policy/decision';
import type { GitRepository } from '../git/gitRepository';
import { decodeUtf8 } from './gate/changeCheck';
import { gatePolicyFrom } from './gate/gatePolicy';
import { promptResource } from '../core/policy/promptResource';

/**
 * prompt.run under the access file committed at HEAD: editing the working copy grants
 * nothing. Decides `promptops run` and `promptops eval` alike; `command` names the one asking.
 */
export async function decidePromptRun(
  command: string,
  repo: GitRepository | undefined,
  actor: Actor,
  prompt: { path: string; workspace?: string; env?: string },
): Promise<Decision> {
  const head = repo ? await repo.head() : undefined;
  const accessBytes = head && repo ? (await repo.filesAt(head, [ACCESS_FILE_PATH])).get(ACCESS_FILE_PATH) : undefined;
  const gate = gatePolicyFrom(accessBytes && decodeUtf8(accessBytes));
  if (!gate.compiled) {
    const first = gate.errors[0] ? formatDiagnostic(gate.errors[0]) : ACCESS_FILE_PATH;
    throw new Error(`${command}: the access file at HEAD has errors (${first}); fix it first (see \`promptops lint\`)`);
  }
  return gate.compiled.decide(actor, 'prompt.run', promptResource(prompt.path, prompt));
}
