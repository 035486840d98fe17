import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { verifyRepository } from '../../../src/cli/gate/verifyRepository';
import {
  generateSigningKey,
  USER_DIRECTORY_PATH,
  type DirectoryUser,
  type SigningKey,
} from '../../../src/core/release';
import { KEY_CHAIN_PATH, serializeKeyChain, signKeyLink, type SignedKeyLink } from '../../../src/core/release/keyChain';
import { openGitRepository } from '../../../src/git';
import { directoryFile, DRAFT, gateRepo, REPLY, signingTeam, sshTeamKeys } from '../../support/gateRepo';

/**
 * The user directory and the server's key change inside the judged range: the admin commits
 * fresh directories (someone dropped, a newcomer added, an old one committed again) and
 * key rotations, among ordinary commits. Verify must agree with a reference that states the
 * rules plainly: the signer must be the same user in the base's directory and in HEAD's
 * (the most restrictive wins, so a directory committed in the range can take rights away
 * from every commit of the range but never grant any), a directory older than the base's
 * is refused and ignored, keys rotated in the range keep verifying what they signed, and
 * only an admin may commit under `.promptops/`.
 */
type Person = 'root' | 'alice' | 'carol' | 'vic' | 'eve';
type Step =
  | { op: 'draft' | 'prod' | 'readme'; signer?: Person; merged: boolean }
  | { op: 'directory'; signer?: Person; drop?: 'alice' | 'carol'; addEve: boolean; stale: boolean }
  | { op: 'rotate'; signer?: Person };

/** Rights under gateRepo's access file: editors draft, carol publishes, root is admin. */
const MAY: Record<'draft' | 'prod' | 'readme' | 'admin', readonly Person[]> = {
  draft: ['root', 'alice', 'carol'],
  prod: ['root', 'carol'],
  readme: ['root', 'alice', 'carol', 'vic', 'eve'],
  admin: ['root'],
};
const BASE_SERIAL = 5;

const person = fc.constantFrom<Person>('root', 'alice', 'carol', 'vic', 'eve');
const signer = fc.option(person, { freq: 4, nil: undefined });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('draft', 'prod', 'readme'), signer, merged: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('directory'),
      signer: fc.constantFrom<Person | undefined>('root', 'root', 'alice', undefined),
      drop: fc.constantFrom(undefined, 'alice', 'carol'),
      addEve: fc.boolean(),
      stale: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('rotate'), signer: fc.constantFrom<Person | undefined>('root', 'vic') }),
  },
);

describe('verify agrees with a reference when directories and server keys change inside the range', () => {
  const sshKeys = sshTeamKeys();

  it('flags exactly the commits and the directory the reference refuses', async function () {
    this.timeout(900_000);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        const repo = gateRepo({ signed: true });
        try {
          // The base's directory has a serial above 1, so an older one can be committed again.
          const team = signingTeam();
          repo.commitAs(
            'root@example.com',
            { [USER_DIRECTORY_PATH]: directoryFile(repo.key, team, BASE_SERIAL) },
            'directory at the base',
            sshKeys.root,
          );
          const base = repo.git('rev-parse', 'HEAD').trim();

          let serverKey: SigningKey = repo.key;
          const links: SignedKeyLink[] = [];
          let headUsers: DirectoryUser[] = team;
          let headStale = false;
          const committed: { sha: string; step: Step }[] = [];
          steps.forEach((s, i) => {
            let files: Record<string, string>;
            if (s.op === 'rotate') {
              const next = generateSigningKey();
              links.push(
                signKeyLink(
                  {
                    serial: links.length + 1,
                    rotatedAt: `2025-04-0${links.length + 1}T00:00:00.000Z`,
                    rotatedBy: 'root',
                  },
                  serverKey,
                  next,
                ),
              );
              serverKey = next;
              files = { [KEY_CHAIN_PATH]: serializeKeyChain(links) };
            } else if (s.op === 'directory') {
              const users = team
                .filter((u) => u.username !== s.drop)
                .concat(
                  s.addEve
                    ? [
                        {
                          username: 'eve',
                          role: 'editor',
                          emails: ['eve@example.com'],
                          signingKeys: [sshKeys.eve.publicKey],
                        },
                      ]
                    : [],
                );
              // Each differs from the one before, so two in a row are two commits.
              const serial = s.stale ? BASE_SERIAL - 1 - (i % 4) : BASE_SERIAL + 1 + i;
              files = { [USER_DIRECTORY_PATH]: directoryFile(serverKey, users, serial) };
              headUsers = users;
              headStale = s.stale;
            } else {
              files =
                s.op === 'draft'
                  ? { 'prompts/support/draft.prompt': DRAFT.replace('Draft', `Draft ${i}`) }
                  : s.op === 'prod'
                    ? { [`prompts/support/new${i}.prompt`]: REPLY.replace('briefly', `briefly ${i}`) }
                    : { 'README.md': `# prompts ${i}\n` };
            }
            const merged = 'merged' in s && s.merged;
            if (merged) repo.git('checkout', '-q', '-b', `side${i}`);
            const sha = repo.commitAs(
              `${s.signer ?? 'vic'}@example.com`,
              files,
              `step ${i}`,
              s.signer && sshKeys[s.signer],
            );
            committed.push({ sha, step: s });
            if (merged) {
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

          // The reference. Directories that judge: the base's, and HEAD's unless it is older than the base's.
          const judging = [team, ...(headStale ? [] : [headUsers])];
          const inEvery = (p: Person) => judging.every((users) => users.some((u) => u.username === p));
          const expected = new Set<string>();
          for (const { sha, step: s } of committed) {
            if (s.op === 'readme') continue; // not gated: no signature needed
            const right = s.op === 'directory' || s.op === 'rotate' ? 'admin' : s.op;
            const ok = s.signer !== undefined && inEvery(s.signer) && MAY[right].includes(s.signer);
            if (!ok) expected.add(sha.slice(0, 7));
          }

          const report = await verifyRepository(await openGitRepository(repo.dir), { base });
          const flagged = new Set(
            report.problems.map((p) => /commit ([0-9a-f]{7})/.exec(p.reason)?.[1]).filter((s) => s !== undefined),
          );
          const context = JSON.stringify({ steps, problems: report.problems });
          assert.deepEqual([...flagged].sort(), [...expected].sort(), context);
          const staleFlagged = report.problems.some(
            (p) => p.file === USER_DIRECTORY_PATH && /older than the base's/.test(p.reason),
          );
          assert.equal(staleFlagged, headStale, context);
          // Nothing else: every rotated key joins the chain, every directory is signed by a trusted key.
          assert.deepEqual(
            report.problems.filter(
              (p) => !/commit [0-9a-f]{7}/.test(p.reason) && !/older than the base's/.test(p.reason),
            ),
            [],
            context,
          );
        } finally {
          rmSync(repo.dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 20 },
    );
  });
});
