import assert from 'node:assert/strict';
import { parseAccessFile, DEFAULT_APPROVAL_RULE, type AccessPolicy } from '../../../src/core/access';
import { dict, FULL_EXAMPLE, FULL_EXAMPLE_POLICY, VALID_EXAMPLES } from './examples';

const EMPTY_DEFAULT_WORKSPACE = { name: 'default', paths: [], members: dict({}), environments: dict({}) };

function policyOf(text: string): AccessPolicy {
  const { policy, diagnostics } = parseAccessFile(text);
  assert.deepEqual(diagnostics, []);
  assert.ok(policy);
  return policy;
}

describe('parseAccessFile: valid files', () => {
  it('parses the full example into exactly the expected policy', () => {
    assert.deepEqual(policyOf(FULL_EXAMPLE), FULL_EXAMPLE_POLICY);
  });

  it('fills every default for a file that only has a version', () => {
    assert.deepEqual(policyOf('version: 1\n'), {
      version: 1,
      environments: ['dev', 'test', 'prod'],
      roles: dict({}),
      workspaces: [EMPTY_DEFAULT_WORKSPACE],
      approvals: { required: 1, from: ['editor'], selfApproval: false },
      protected: [],
    });
  });

  it('keeps a declared default workspace in file order and drops the always-protected glob', () => {
    const policy = policyOf(VALID_EXAMPLES.declaredDefault);
    assert.deepEqual(policy.environments, ['development', 'production']);
    assert.deepEqual(
      policy.workspaces.map((w) => w.name),
      ['billing', 'default', 'marketing'],
    );
    assert.deepEqual(policy.workspaces[1], {
      name: 'default',
      paths: ['prompts/**'],
      members: dict({ dana: 'admin' }),
      environments: dict({ production: { publish: ['admin'] } }),
    });
    assert.deepEqual(policy.workspaces[2], { name: 'marketing', paths: [], members: dict({}), environments: dict({}) });
    assert.deepEqual(policy.protected, ['prompts/legal/**']);
  });

  it('accepts roles extending custom roles, any usernames, and selfApproval true', () => {
    const policy = policyOf(VALID_EXAMPLES.chainedRoles);
    assert.deepEqual(policy.roles.lead, { name: 'lead', extends: 'senior', allow: ['workspace.delete'], deny: [] });
    assert.deepEqual(policy.workspaces[0].members, dict({ 'erin@example.com': 'lead', constructor: 'auditor' }));
    assert.deepEqual(policy.approvals, { required: 3, from: ['senior'], selfApproval: true });
  });

  it('builds name-keyed maps without a prototype, so "constructor" is not a member by inheritance', () => {
    const policy = policyOf(FULL_EXAMPLE);
    assert.equal(policy.workspaces[0].members.constructor, undefined);
    assert.equal((policy.roles as { toString?: unknown }).toString, undefined);
  });

  it('keeps usernames such as __proto__ as plain data', () => {
    const policy = policyOf(
      'version: 1\nworkspaces:\n  s:\n    members: { __proto__: editor, hasOwnProperty: viewer }\n',
    );
    assert.deepEqual(Object.keys(policy.workspaces[0].members), ['__proto__', 'hasOwnProperty']);
    assert.equal(policy.workspaces[0].members['__proto__'], 'editor');
  });

  it('does not share the default rule object with DEFAULT_APPROVAL_RULE', () => {
    const policy = policyOf('version: 1\n');
    assert.notEqual(policy.approvals, DEFAULT_APPROVAL_RULE);
    assert.notEqual(policy.approvals.from, DEFAULT_APPROVAL_RULE.from);
  });

  it('reads CRLF line ends and a BOM like plain LF', () => {
    assert.deepEqual(policyOf(FULL_EXAMPLE.replace(/\n/g, '\r\n')), FULL_EXAMPLE_POLICY);
    assert.deepEqual(policyOf(`\uFEFF${FULL_EXAMPLE}`), FULL_EXAMPLE_POLICY);
  });

  it('returns a policy alongside warnings, which do not block it', () => {
    const { policy, diagnostics } = parseAccessFile('version: 1\nserver: !custom http://x.example\n');
    assert.ok(policy);
    assert.equal(policy.server, 'http://x.example');
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.line, d.column]),
      [['warning', 2, 9]],
    );
  });

  it('uses the file name it is given', () => {
    const { diagnostics } = parseAccessFile('version: 2\n', 'repo/.promptops/access.yaml');
    assert.equal(diagnostics[0].file, 'repo/.promptops/access.yaml');
  });

  it('reads an env rule that requires evaluations, filling passRate and runs', () => {
    const policy = policyOf(
      'version: 1\nworkspaces:\n  s:\n    environments:\n      prod:\n        approvals: { required: 1, from: [editor], evaluations: { required: true, runs: 3 } }\n      test:\n        approvals: { required: 1, from: [editor], evaluations: { required: true, passRate: 0.5 } }\n',
    );
    const s = policy.workspaces.find((w) => w.name === 's');
    assert.deepEqual(s?.environments.prod.approvals?.evaluations, { required: true, passRate: 1, runs: 3 });
    assert.deepEqual(s?.environments.test.approvals?.evaluations, { required: true, passRate: 0.5, runs: 1 });
    assert.equal(policy.approvals.evaluations, undefined);
  });
});
