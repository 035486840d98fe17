import { promptNameFromPath } from '../prompts/promptFormat';

/** The dataset beside a prompt file: `support/triage.prompt.yml` → `support/triage.tests.yaml`. */
export function evalDatasetPath(promptPath: string): string {
  const slash = Math.max(promptPath.lastIndexOf('/'), promptPath.lastIndexOf('\\'));
  return `${promptPath.slice(0, slash + 1)}${promptNameFromPath(promptPath)}.tests.yaml`;
}
