import * as vscode from 'vscode';
import { ACCESS_FILE_PATH } from '../../../core/access/accessPolicy';
import { contentSha256 } from '../../../core/release/contentHash';
import type { PromptOpsModel } from '../../model/promptOpsModel';

/** How the repository's access file compares with the one in force on the server. */
export type PolicyDrift =
  | { kind: 'unknown'; reason: string }
  | { kind: 'in-sync'; version: number }
  | { kind: 'differs'; version: number; appliedBy: string | null; appliedAt: string }
  | { kind: 'not-applied' };

/** Compares sha256 of `.promptops/access.yaml` with `GET /api/policy`'s. */
export async function policyDrift(model: PromptOpsModel): Promise<PolicyDrift> {
  if (model.session.state.kind !== 'signedIn')
    return { kind: 'unknown', reason: 'Sign in (with the server reachable) to compare with the server.' };
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(model.uriOf(ACCESS_FILE_PATH));
  } catch {
    return { kind: 'unknown', reason: 'This repository has no access file.' };
  }
  try {
    const policy = await model.session.api().getPolicy();
    if (!policy) return { kind: 'not-applied' };
    return policy.sha256 === contentSha256(bytes)
      ? { kind: 'in-sync', version: policy.version }
      : { kind: 'differs', version: policy.version, appliedBy: policy.appliedBy, appliedAt: policy.appliedAt };
  } catch (err) {
    return { kind: 'unknown', reason: (err as Error).message };
  }
}
