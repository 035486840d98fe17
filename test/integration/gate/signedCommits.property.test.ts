import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { verifyRepository } from '../../../src/cli/gate/verifyRepository';
import { openGitRepository } from '../../../src/git';
import { DRAFT, gateRepo, REPLY, sshTeamKeys } from '../../support/gateRepo';

type Person = 'root' | 'alice' | 'carol' | 'vic' | 'eve';
type Op = 'draft' | 'prod' | 'readme';
interface Step {
  op: Op;
  /** Whose key signs; undefined: unsigned. */
  signer?: Person;
  /** The email the commit claims, whoever signs. */
  email: Person;
  /** Made on a side branch and merged by the "host" with an unsigned merge commit. */
  merged: boolean;
}

/** The reference: who may do what in gateRepo's access file (support: carol publisher; prod needs publisher). */
const MAY: Record<Op, readonly Person[]> = {
  draft: ['root', 'alice', 'carol'],
  prod: ['root', 'carol'],
  readme: ['root', 'alice', 'carol', 'vic', 'eve'],
};
function refused(step: Step): boolean {
  if (step.op === 'readme') return false; // not gated: no signature needed
  if (step.signer === undefined || step.signer === 'eve') return true; // unsigned, or a key nobody registered
  return !MAY[step.op].includes(step.signer); // the signer is judged, never the email
}

const person = fc.constantFrom<Person>('root', 'alice', 'carol', 'vic', 'eve');
const step = fc.record({
  op: fc.constantFrom<Op>('draft', 'prod', 'readme'),
  signer: fc.option(person, { nil: undefined }),
  email: person,
  merged: fc.boolean(),
});

describe('verify agrees with a reference judgement on random signed and unsigned commits', () => {
  const keys = sshTeamKeys();

  it('flags exactly the commits the reference refuses', async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), async (steps) => {
        const repo = gateRepo({ signed: true });
        try {
          const base = repo.git('rev-parse', 'HEAD').trim();
          const expected = new Set<string>();
          steps.forEach((s, i) => {
            const files: Record<string, string> =
              s.op === 'draft'
                ? { 'prompts/support/draft.prompt': DRAFT.replace('Draft', `Draft ${i}`) }
                : s.op === 'prod'
                  ? { [`prompts/support/new${i}.prompt`]: REPLY.replace('briefly', `briefly ${i}`) }
                  : { 'README.md': `# prompts ${i}\n` };
            if (s.merged) repo.git('checkout', '-q', '-b', `side${i}`);
            const sha = repo.commitAs(`${s.email}@example.com`, files, `step ${i}`, s.signer && keys[s.signer]);
            if (refused(s)) expected.add(sha.slice(0, 7));
            if (s.merged) {
              repo.git('checkout', '-q', 'main');
              repo.git(
                '-c',
                'user.email=host@example.com',
                '-c',
                'user.name=host',
                'merge',
                '-q',
                '--no-ff',
                '--no-edit',
                `side${i}`,
              );
            }
          });
          const report = await verifyRepository(await openGitRepository(repo.dir), { base });
          const flagged = new Set(
            report.problems.map((p) => /commit ([0-9a-f]{7})/.exec(p.reason)?.[1]).filter((s) => s !== undefined),
          );
          assert.deepEqual(
            [...flagged].sort(),
            [...expected].sort(),
            JSON.stringify({ steps, problems: report.problems }),
          );
        } finally {
          rmSync(repo.dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 20 },
    );
  });
});
