import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import { placeWorkspace } from '../../../src/core/policy/referenceDecide';

const ACCESS = `version: 1
workspaces:
  support:
    paths: ["prompts/support/**"]
  escalations:
    paths: ["prompts/support/escalations/**"]
  sales:
    paths: ["prompts/sales/**"]
`;

describe('workspace placement: the path places a prompt', () => {
  const policy = parseAccessFile(ACCESS).policy!;
  const compiled = compilePolicy(policy);
  const cases: [path: string, field: string | undefined, workspace: string, ignored?: string][] = [
    ['prompts/support/escalations/x.prompt', undefined, 'support'], // first matching glob
    ['prompts/support/escalations/x.prompt', 'escalations', 'escalations'], // the field chooses among covering globs
    ['prompts/support/x.prompt', 'escalations', 'support', 'not-covering'],
    ['prompts/support/x.prompt', 'sales', 'support', 'not-covering'],
    ['prompts/other/x.prompt', 'sales', 'default', 'not-covering'],
    ['prompts/other/x.prompt', 'default', 'default'],
    ['prompts/support/x.prompt', 'nowhere', 'support', 'unknown'],
    ['Prompts/SUPPORT/Escalations/x.prompt', 'escalations', 'escalations'], // case-insensitive, as such disks are
  ];
  for (const [path, field, workspace, ignored] of cases) {
    it(`${path} with workspace: ${field ?? '(none)'} → ${workspace}${ignored ? ` (${ignored})` : ''}`, () => {
      const placed = compiled.placement(path, field);
      assert.equal(placed.workspace, workspace);
      assert.equal(placed.ignoredWorkspace?.why, ignored);
      assert.equal(placeWorkspace(policy, path, field).name, workspace, 'the reference engine agrees');
    });
  }
});
