import assert from 'node:assert/strict';
import { compilePolicy } from '../../../src/core/policy/compiledPolicy';
import { prng, Random, randomActor, randomPolicy, randomResource } from '../../support/randomPolicy';

/**
 * approvalPlaces() is what "needs my approval" narrows to in SQL: it must name every
 * workspace and env where decide() lets the actor approve a review, and only those, with
 * the self-approval rule of each (protected paths are decided per review, as ever).
 */
describe('approvalPlaces() against decide()', () => {
  it('agrees with review.approve on the random prompts of 50,000 cases over 200 random access files (API keys included)', () => {
    const r = new Random(prng(Number(process.env.PROMPTOPS_TEST_SEED ?? 20261130)));
    const disagreements: string[] = [];
    let allowed = 0;
    let checked = 0;
    for (let p = 0; p < 200; p++) {
      const policy = randomPolicy(r);
      const compiled = compilePolicy(policy);
      for (let i = 0; i < 250; i++) {
        const actor = randomActor(r, policy);
        const resource = randomResource(r, policy);
        if (resource.kind !== 'prompt') continue;
        const placed = compiled.placement(resource.path, resource.workspace, resource.env);
        if (placed.protected) continue;
        checked++;
        const place = compiled
          .approvalPlaces(actor)
          .find((x) => x.workspace === placed.workspace && x.env === placed.env);
        const own = resource.author !== undefined && resource.author.toLowerCase() === actor.username.toLowerCase();
        const expected = place !== undefined && (place.selfApproval || !own);
        const d = compiled.decide(actor, 'review.approve', resource);
        if (d.allowed) allowed++;
        if (d.allowed !== expected && disagreements.length < 5)
          disagreements.push(JSON.stringify({ policy: p, actor, resource, place, decision: d }));
      }
    }
    assert.ok(checked > 20_000, `${checked} checked`);
    assert.ok(allowed > 2_000 && allowed < checked - 2_000, `allowed ${allowed} of ${checked}`);
    assert.deepEqual(disagreements, []);
  });
});
