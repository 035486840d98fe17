import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import { approvalStatus } from '../../../src/core/review/approvalStatus';
import { policyApprovalDecision, policyApprovalRule } from '../../../src/core/review/policyApproval';

const FILE = `version: 1
roles:
  superuser: { extends: editor, allow: [policy.apply, review.approve] }
workspaces:
  default: { members: { sam: superuser } }
policyApprovals: { required: 2 }
`;

describe('policy approvals (policyApprovals in the access file)', () => {
  const policy = parseAccessFile(FILE).policy!;
  const compiled = compilePolicy(policy);

  it('reads policyApprovals.required; absent means no review (0)', () => {
    assert.equal(policy.policyApprovals, 2);
    assert.equal(policyApprovalRule(policy).required, 2);
    assert.equal(policyApprovalRule(parseAccessFile('version: 1\n').policy!).required, 0);
  });

  it('refuses a malformed policyApprovals with file, line and field', () => {
    const lines = parseAccessFile('version: 1\npolicyApprovals: { required: -1, from: [admin] }\n')
      .diagnostics.filter((d) => d.severity === 'error')
      .map(formatDiagnostic);
    assert.ok(
      lines.some((l) => /^\.promptops\/access\.yaml:2:\d+ policyApprovals/.test(l)),
      lines.join('\n'),
    );
  });

  it('only users the policy lets apply the access file count (admins), never the author', () => {
    assert.ok(policyApprovalDecision(compiled, { username: 'bob', role: 'admin' }, 'alice').allowed);
    const editor = policyApprovalDecision(compiled, { username: 'ed', role: 'editor' }, 'alice');
    assert.equal(editor.allowed, false);
    assert.match(editor.reason, /users who may apply it/);
    const self = policyApprovalDecision(compiled, { username: 'Alice', role: 'admin' }, 'alice');
    assert.equal(self.allowed, false);
    assert.equal(self.rule, 'self-approval');
  });

  it('a custom role cannot grant policy.apply (an org action): its holders do not count', () => {
    // sam's workspace role allows policy.apply, but org actions follow the org role only.
    const d = policyApprovalDecision(compiled, { username: 'sam', role: 'editor' }, 'alice');
    assert.equal(d.allowed, false);
  });

  it('with the approval rule, two other admins meet it and the author plus one admin do not', () => {
    const rule = policyApprovalRule(policy);
    const input = (u: string, role: 'admin' | 'editor') => ({
      username: u,
      decision: policyApprovalDecision(compiled, { username: u, role }, 'alice'),
    });
    assert.equal(approvalStatus(rule, 'alice', [input('alice', 'admin'), input('bob', 'admin')]).met, false);
    assert.equal(approvalStatus(rule, 'alice', [input('ed', 'editor'), input('bob', 'admin')]).met, false);
    assert.equal(approvalStatus(rule, 'alice', [input('carol', 'admin'), input('bob', 'admin')]).met, true);
  });
});
