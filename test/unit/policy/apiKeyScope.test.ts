import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import { ACTIONS, BUILTIN_ROLES } from '../../../src/core/policy/actions';
import type { ApiKeyScope } from '../../../src/core/policy/apiKeyScope';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import type { Resource } from '../../../src/core/policy/decision';
import { referenceDecide } from '../../../src/core/policy/referenceDecide';

const ACCESS = `version: 1
roles:
  keyless: { extends: editor, deny: [apikey.manage] }
  keyholder: { extends: viewer, allow: [apikey.manage] }
workspaces:
  support:
    paths: ["prompts/support/**"]
  sales:
    paths: ["prompts/sales/**"]
  default:
    members: { kim: keyless, vic: keyholder }
`;
const { policy } = parseAccessFile(ACCESS);
const compiled = compilePolicy(policy!);

const SCOPES: Record<string, ApiKeyScope> = {
  'read-run': { name: 'reader', actions: ['prompt.read', 'prompt.run'] },
  'review-request': { name: 'drafter', actions: ['review.request'] },
  'release-bot': { name: 'bot', actions: ['prompt.read', 'prompt.publish'] },
  'key-manager': { name: 'keys', actions: ['apikey.manage', 'user.manage'] },
  everything: { name: 'all', actions: ACTIONS },
};

const RESOURCES: Resource[] = [
  { kind: 'prompt', path: 'prompts/support/a.prompt', env: 'prod' },
  { kind: 'prompt', path: 'prompts/sales/b.prompt', env: 'dev' },
  { kind: 'workspace', name: 'support' },
  { kind: 'org' },
];

describe('API keys: a key decides as its scope ∩ its creator', () => {
  it('for every scope × creator role × action × resource, allowed exactly when both allow it (both evaluators)', () => {
    let cells = 0;
    let allowedCells = 0;
    for (const scope of Object.values(SCOPES)) {
      for (const role of BUILTIN_ROLES) {
        for (const action of ACTIONS) {
          for (const resource of RESOURCES) {
            const person = compiled.decide({ username: 'pat', role }, action, resource);
            const key = compiled.decide({ username: 'pat', role, apiKey: scope }, action, resource);
            const expected = person.allowed && scope.actions.includes(action);
            assert.equal(key.allowed, expected, `${scope.name} ${role} ${action} ${JSON.stringify(resource)}`);
            assert.deepEqual(referenceDecide(policy!, { username: 'pat', role, apiKey: scope }, action, resource), key);
            cells++;
            if (expected) allowedCells++;
          }
        }
      }
    }
    assert.equal(cells, 5 * 3 * ACTIONS.length * RESOURCES.length);
    assert.ok(allowedCells > 0 && allowedCells < cells);
  });

  it('never exceeds the creator: a key with every action held by a viewer only reads and runs', () => {
    const scope = SCOPES.everything;
    const allowed = ACTIONS.filter(
      (a) => compiled.decide({ username: 'pat', role: 'viewer', apiKey: scope }, a, RESOURCES[0]).allowed,
    );
    assert.deepEqual(allowed, ['prompt.read', 'prompt.run']);
  });

  it('follows the creator down: the same key refuses publish once its creator is a viewer', () => {
    const scope = SCOPES['release-bot'];
    const res = RESOURCES[0];
    assert.equal(
      compiled.decide({ username: 'pat', role: 'editor', apiKey: scope }, 'prompt.publish', res).allowed,
      true,
    );
    const after = compiled.decide({ username: 'pat', role: 'viewer', apiKey: scope }, 'prompt.publish', res);
    assert.equal(after.allowed, false);
    assert.match(after.reason, /API key `bot` has only its creator's rights/);
  });

  it('names what the key lacks: the action, the workspace or the env', () => {
    const res: Resource = { kind: 'prompt', path: 'prompts/support/a.prompt', env: 'prod' };
    const actor = { username: 'pat', role: 'admin' as const };
    const noAction = compiled.decide({ ...actor, apiKey: SCOPES['read-run'] }, 'prompt.publish', res);
    assert.equal(noAction.rule, 'api-key-scope');
    assert.match(noAction.reason, /may not prompt\.publish: its scope allows `prompt\.read`, `prompt\.run`/);
    const ws = compiled.decide(
      { ...actor, apiKey: { name: 's', actions: ACTIONS, workspaces: ['sales'] } },
      'prompt.read',
      res,
    );
    assert.equal(ws.allowed, false);
    assert.match(ws.reason, /limited to the workspaces `sales`; this is in `support`/);
    const env = compiled.decide(
      { ...actor, apiKey: { name: 'e', actions: ACTIONS, envs: ['dev'] } },
      'prompt.read',
      res,
    );
    assert.equal(env.allowed, false);
    assert.match(env.reason, /limited to the envs `dev`; this is in `prod`/);
    const inScope = compiled.decide(
      { ...actor, apiKey: { name: 'ok', actions: ACTIONS, workspaces: ['support'], envs: ['prod'] } },
      'prompt.read',
      res,
    );
    assert.equal(inScope.allowed, true);
  });

  it('apikey.manage: editor and up by default, customisable in the access file', () => {
    const org: Resource = { kind: 'org' };
    const may = (username: string, role: 'viewer' | 'editor' | 'admin'): boolean =>
      compiled.decide({ username, role }, 'apikey.manage', org).allowed;
    assert.equal(may('pat', 'viewer'), false);
    assert.equal(may('pat', 'editor'), true);
    assert.equal(may('pat', 'admin'), true);
    assert.equal(may('kim', 'editor'), false, 'a custom role denies it');
    assert.equal(may('vic', 'viewer'), true, 'a custom role grants it to a viewer');
  });
});
