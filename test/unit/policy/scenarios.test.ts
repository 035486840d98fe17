import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAccessFile } from '../../../src/core/access';
import type { AccessPolicy } from '../../../src/core/access/accessPolicy';
import { ACTIONS, type Action, type BuiltinRole } from '../../../src/core/policy/actions';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import type { PromptResource, Resource, RuleId } from '../../../src/core/policy/decision';
import { referenceDecide } from '../../../src/core/policy/referenceDecide';

function loadPolicy(name: string): AccessPolicy {
  const text = readFileSync(join(__dirname, '../../fixtures/policies', name), 'utf8');
  const { policy, diagnostics } = parseAccessFile(text, name);
  assert.deepEqual(diagnostics, [], `${name} should be valid`);
  return policy!;
}

/** [username, org role, action, resource, allowed, rule] */
type Cell = [string, BuiltinRole, Action, Resource, boolean, RuleId];

function checkTable(policyFile: string, cells: Cell[]): void {
  const policy = loadPolicy(policyFile);
  const compiled = compilePolicy(policy);
  for (const [username, role, action, resource, allowed, rule] of cells) {
    const label = `${username}(${role}) ${action} ${JSON.stringify(resource)}`;
    it(`${label} → ${allowed ? 'allow' : 'deny'} by ${rule}`, () => {
      const d = compiled.decide({ username, role }, action, resource);
      assert.equal(d.allowed, allowed, `${label}: ${d.reason}`);
      assert.equal(d.rule, rule, `${label}: ${d.reason}`);
      assert.deepEqual(referenceDecide(policy, { username, role }, action, resource), d);
    });
  }
}

const prompt = (path: string, env?: string, author?: string): PromptResource => ({ kind: 'prompt', path, env, author });

describe('scenario: the seed role table', () => {
  const p = prompt('prompts/support/greeting.prompt');
  const expected: Record<BuiltinRole, Action[]> = {
    viewer: ['prompt.read', 'prompt.run'],
    editor: [
      'prompt.read',
      'prompt.run',
      'prompt.create',
      'prompt.edit',
      'prompt.delete',
      'prompt.publish',
      'review.request',
      'review.approve',
      'workspace.create',
      'evaluation.run',
      'apikey.manage',
    ],
    admin: [...ACTIONS],
  };
  const cells: Cell[] = [];
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    for (const action of ACTIONS) {
      const org = ['workspace.create', 'workspace.delete', 'user.manage', 'policy.apply', 'server.key.rotate'].includes(
        action,
      );
      const allowed = expected[role].includes(action);
      // Approvals always pass through the approval rule (default: from editor).
      const rule: RuleId = org
        ? 'org-role'
        : action === 'review.approve' && allowed
          ? 'approval-role'
          : 'role-permission';
      // API keys are org-wide: asked about the org (decided in `default`, so bindings can change it).
      const orgWide = org || action === 'apikey.manage' || action === 'user.invite';
      cells.push([`${role}-user`, role, action, orgWide ? { kind: 'org' } : p, allowed, rule]);
    }
  }
  checkTable('seed-roles.access.yaml', cells);

  it('explains a denial in words', () => {
    const d = compilePolicy(loadPolicy('seed-roles.access.yaml')).decide(
      { username: 'vic', role: 'viewer' },
      'prompt.edit',
      p,
    );
    assert.equal(
      d.reason,
      'Read-only: editing dev prompts in `support` needs the `editor` or `admin` role; you are `viewer`.',
    );
  });
});

describe('scenario: Humanloop Member / Developer / Admin', () => {
  const prod = prompt('prompts/faq.prompt', 'production');
  const dev = prompt('prompts/faq.prompt', 'development');
  checkTable('humanloop.access.yaml', [
    // Create and manage Files: all three.
    ['mia', 'editor', 'prompt.edit', prod, true, 'role-permission'],
    ['dev', 'editor', 'prompt.create', dev, true, 'role-permission'],
    ['boss', 'admin', 'prompt.delete', prod, true, 'role-permission'],
    // Manage prompt deployments: Developer and Admin, not Member.
    ['mia', 'editor', 'prompt.publish', prod, false, 'role-permission'],
    ['mia', 'editor', 'prompt.publish', dev, false, 'role-permission'],
    ['dev', 'editor', 'prompt.publish', prod, true, 'env-publish'],
    ['boss', 'admin', 'prompt.publish', prod, true, 'env-publish'],
    // An org editor with no Humanloop role binding is not a Developer: cannot deploy to production.
    ['eve', 'editor', 'prompt.publish', prod, false, 'env-publish'],
    ['eve', 'editor', 'prompt.publish', dev, true, 'role-permission'],
    // Deployment approvals come from developers; nobody approves their own.
    ['dev', 'editor', 'review.approve', { ...prod, author: 'mia' }, true, 'approval-role'],
    ['dev', 'editor', 'review.approve', { ...prod, author: 'dev' }, false, 'self-approval'],
    ['mia', 'editor', 'review.approve', { ...prod, author: 'dev' }, false, 'role-permission'],
    // Send invites / set user roles / organisation settings: Admin only.
    ['dev', 'editor', 'user.manage', { kind: 'org' }, false, 'org-role'],
    ['mia', 'editor', 'user.manage', { kind: 'org' }, false, 'org-role'],
    ['boss', 'admin', 'user.manage', { kind: 'org' }, true, 'org-role'],
    // Create and manage environments: they live in the access file, which only admins change.
    ['dev', 'editor', 'prompt.edit', { kind: 'file', path: '.promptops/access.yaml' }, false, 'protected-path'],
    ['boss', 'admin', 'prompt.edit', { kind: 'file', path: '.promptops/access.yaml' }, true, 'protected-path'],
    ['dev', 'editor', 'policy.apply', { kind: 'org' }, false, 'org-role'],
    // Inspect logs / run: everyone.
    ['mia', 'editor', 'prompt.run', prod, true, 'role-permission'],
    // An environment the file does not declare cannot be changed.
    ['dev', 'editor', 'prompt.edit', prompt('prompts/faq.prompt', 'prod'), false, 'unknown-env'],
  ]);
});

describe('scenario: PromptLayer drafter → reviewer → publisher', () => {
  const dev = prompt('prompts/support/answer.prompt', 'dev');
  const prodByErin = prompt('prompts/support/answer.prompt', 'prod', 'erin');
  const prodByPaul = prompt('prompts/support/answer.prompt', 'prod', 'paul');
  checkTable('promptlayer.access.yaml', [
    // The engineer drafts in dev and asks for review, but cannot approve or release.
    ['erin', 'editor', 'prompt.edit', dev, true, 'role-permission'],
    ['erin', 'editor', 'review.request', dev, true, 'role-permission'],
    ['erin', 'editor', 'review.approve', { ...dev, author: 'someone' }, false, 'role-permission'],
    ['erin', 'editor', 'prompt.publish', dev, false, 'role-permission'],
    // The reviewer checks tone and policy: approves, never edits.
    ['rita', 'viewer', 'review.approve', { ...dev, author: 'erin' }, true, 'approval-role'],
    ['rita', 'viewer', 'review.approve', prodByErin, true, 'approval-role'],
    ['rita', 'viewer', 'prompt.edit', dev, false, 'role-permission'],
    ['rita', 'viewer', 'prompt.publish', prodByErin, false, 'role-permission'],
    // The publisher approves the final prompt and releases it.
    ['paul', 'editor', 'review.approve', prodByErin, true, 'approval-role'],
    ['paul', 'editor', 'prompt.publish', prodByErin, true, 'env-publish'],
    ['paul', 'editor', 'review.approve', prodByPaul, false, 'self-approval'],
    ['pia', 'editor', 'review.approve', prodByPaul, true, 'approval-role'],
    // Production is locked to a small group: the publishers (and admins).
    ['paul', 'editor', 'prompt.edit', prodByErin, true, 'env-edit'],
    ['erin', 'editor', 'prompt.edit', prodByErin, false, 'env-edit'],
    ['erin', 'editor', 'review.request', prodByErin, false, 'env-edit'],
    ['ed', 'editor', 'prompt.edit', prodByErin, false, 'env-edit'],
    ['ed', 'editor', 'prompt.publish', prodByErin, false, 'env-publish'],
    ['ed', 'editor', 'review.approve', prodByPaul, false, 'approval-role'],
    ['ada', 'admin', 'prompt.edit', prodByErin, true, 'env-edit'],
    // Everyone else can still view and run the released prompt.
    ['victor', 'viewer', 'prompt.read', prodByErin, true, 'role-permission'],
    ['victor', 'viewer', 'prompt.run', prodByErin, true, 'role-permission'],
    ['erin', 'editor', 'prompt.run', prodByErin, true, 'role-permission'],
    ['victor', 'viewer', 'prompt.edit', dev, false, 'role-permission'],
    // Org admin is admin everywhere, but approving one's own change is still refused.
    ['ada', 'admin', 'prompt.publish', prodByErin, true, 'env-publish'],
    ['ada', 'admin', 'review.approve', prompt('prompts/support/answer.prompt', 'prod', 'ada'), false, 'self-approval'],
    // A workspace binding replaces the org role only inside that workspace.
    ['rita', 'viewer', 'prompt.read', prompt('prompts/other/x.prompt', 'dev'), true, 'role-permission'],
    ['erin', 'editor', 'prompt.publish', prompt('prompts/other/x.prompt', 'dev'), true, 'role-permission'],
    ['erin', 'editor', 'review.approve', prompt('prompts/other/x.prompt', 'dev', 'ed'), true, 'approval-role'],
    // The path places a prompt: a workspace field naming a workspace that does not cover it does not count.
    [
      'erin',
      'editor',
      'prompt.publish',
      { kind: 'prompt', path: 'prompts/other/x.prompt', workspace: 'support' },
      true,
      'role-permission',
    ],
    // Protected paths: admins only, whatever the workspace role.
    ['paul', 'editor', 'prompt.edit', prompt('prompts/shared/tone.prompt', 'dev'), false, 'protected-path'],
    ['paul', 'editor', 'prompt.edit', { kind: 'file', path: '.promptops/access.yaml' }, false, 'protected-path'],
    ['paul', 'editor', 'prompt.edit', { kind: 'file', path: '.promptops/published.yaml' }, false, 'protected-path'],
    ['ada', 'admin', 'prompt.edit', prompt('prompts/shared/tone.prompt', 'dev'), true, 'protected-path'],
    ['victor', 'viewer', 'prompt.read', prompt('prompts/shared/tone.prompt', 'dev'), true, 'role-permission'],
  ]);

  it('says why in the words DESIGN.md promises', () => {
    const c = compilePolicy(loadPolicy('promptlayer.access.yaml'));
    assert.equal(
      c.decide({ username: 'ed', role: 'editor' }, 'prompt.edit', prodByErin).reason,
      'Read-only: prod prompts in `support` need the `publisher` role; you are `editor`.',
    );
    assert.equal(
      c.decide({ username: 'erin', role: 'editor' }, 'prompt.edit', prodByErin).reason,
      'Read-only: prod prompts in `support` need the `publisher` role; you are `drafter` in `support`.',
    );
    assert.equal(
      c.decide({ username: 'ed', role: 'editor' }, 'review.approve', prodByPaul).reason,
      'Approving changes to prod prompts in `support` needs the `reviewer` or `publisher` role; you are `editor`.',
    );
    assert.equal(
      c.decide({ username: 'paul', role: 'editor' }, 'review.approve', prodByPaul).reason,
      'You wrote this change, and the approval rule for prod prompts in `support` does not allow approving your own change.',
    );
    assert.equal(
      c.decide({ username: 'paul', role: 'editor' }, 'prompt.edit', prompt('prompts/shared/tone.prompt')).reason,
      'Read-only: `prompts/shared/tone.prompt` is protected; only admins may change it, and you are `editor`.',
    );
  });
});
