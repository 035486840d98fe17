import { formatDiagnostic } from '../core/diagnostics';
import { evalDatasetPath } from '../core/eval/evalDatasetPath';
import { parseEvalDataset } from '../core/eval/parseEvalDataset';
import { isPolicyReviewPath } from '../core/review/policyApproval';
import { assertPlainPath, WorkflowRefusal, type WorkingTree } from './workingTree';

/**
 * The `<prompt>.tests.yaml` beside the prompt at `path`, to upload with a review request
 * (undefined when there is none). Refused, before anything is sent, when it is a symbolic
 * link (or lies under one) like the prompt itself, when it is not a regular file, and when it
 * is not a valid dataset (every problem with file, line and field, as `promptops eval` reads it).
 */
export async function reviewDatasetFile(tree: WorkingTree, path: string): Promise<string | undefined> {
  if (isPolicyReviewPath(path)) return undefined;
  const file = evalDatasetPath(path);
  await assertPlainPath(tree, file);
  const kind = await tree.entryKind(file);
  if (kind === 'absent') return undefined;
  if (kind !== 'file')
    throw new WorkflowRefusal(`${file} is not a regular file; a dataset beside ${path} must be one.`);
  const bytes = await tree.readFile(file);
  if (bytes === undefined) return undefined;
  const text = new TextDecoder().decode(bytes);
  const errors = parseEvalDataset(file, text).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new WorkflowRefusal(
      `${errors.map(formatDiagnostic).join('\n')}\n${file} is not a valid dataset; nothing was sent. Fix it, or remove it to request review without it.`,
    );
  return text;
}
