import assert from 'node:assert/strict';
import { ACTIONS } from '../../../src/core/policy/actions';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import { approvalRuleFor, referenceDecide } from '../../../src/core/policy/referenceDecide';
import { DEFAULT_WORKSPACE } from '../../../src/core/access/accessPolicy';
import { prng, Random, randomActor, randomPolicy, randomResource } from '../../support/randomPolicy';

describe('decide() against the reference evaluator', () => {
  it('agrees on 100,000 random (user, action, resource) cases over 200 random access files', () => {
    const seed = Number(process.env.PROMPTOPS_TEST_SEED ?? 20261123);
    const r = new Random(prng(seed));
    let cases = 0;
    const disagreements: string[] = [];
    for (let p = 0; p < 200; p++) {
      const policy = randomPolicy(r);
      const compiled = compilePolicy(policy);
      for (let i = 0; i < 500; i++, cases++) {
        const actor = randomActor(r, policy);
        const action = r.pick(ACTIONS);
        const resource = randomResource(r, policy);
        const fast = compiled.decide(actor, action, resource);
        const ref = referenceDecide(policy, actor, action, resource);
        if (JSON.stringify(fast) !== JSON.stringify(ref) && disagreements.length < 5) {
          disagreements.push(JSON.stringify({ seed, policy: p, actor, action, resource, fast, ref }, null, 1));
        }
      }
    }
    assert.equal(cases, 100_000);
    assert.deepEqual(disagreements, [], `disagreements (seed ${seed}):\n${disagreements.join('\n')}`);
  });

  it('finds the same approval rule as the reference for every workspace and env, unknown ones included', () => {
    const r = new Random(prng(11));
    for (let p = 0; p < 200; p++) {
      const policy = randomPolicy(r);
      const compiled = compilePolicy(policy);
      const fallback = { name: DEFAULT_WORKSPACE, paths: [], members: {}, environments: {} };
      const defaultWs = policy.workspaces.find((w) => w.name === DEFAULT_WORKSPACE) ?? fallback;
      for (const ws of [...policy.workspaces, { ...fallback, name: 'nowhere' }]) {
        const known = policy.workspaces.includes(ws) ? ws : defaultWs;
        for (const env of [...policy.environments, 'unlisted']) {
          assert.deepEqual(
            compiled.approvalRule(ws.name, env),
            approvalRuleFor(policy, known, env),
            `${ws.name}/${env}`,
          );
        }
      }
    }
  });

  it('produces both outcomes and every rule on the random cases, so agreement is not vacuous', () => {
    const r = new Random(prng(7));
    const rules = new Map<string, number>();
    let allowed = 0;
    for (let p = 0; p < 50; p++) {
      const policy = randomPolicy(r);
      const compiled = compilePolicy(policy);
      for (let i = 0; i < 400; i++) {
        const d = compiled.decide(randomActor(r, policy), r.pick(ACTIONS), randomResource(r, policy));
        rules.set(`${d.rule}:${d.allowed}`, (rules.get(`${d.rule}:${d.allowed}`) ?? 0) + 1);
        if (d.allowed) allowed++;
      }
    }
    assert.ok(allowed > 2000 && allowed < 18000, `allowed ${allowed} of 20000`);
    for (const key of [
      'org-role:true',
      'org-role:false',
      'protected-path:true',
      'protected-path:false',
      'role-permission:true',
      'role-permission:false',
      'unknown-env:false',
      'env-edit:true',
      'env-edit:false',
      'env-publish:true',
      'env-publish:false',
      'approval-role:true',
      'approval-role:false',
      'self-approval:false',
      'api-key-scope:false',
    ]) {
      assert.ok((rules.get(key) ?? 0) > 0, `no case decided by ${key}`);
    }
  });
});
