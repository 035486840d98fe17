import type { Command } from 'commander';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ACCESS_FILE_TEMPLATE,
  gitattributesLines,
  pinServer,
  type PinOutcome,
  withGitattributes,
} from '../../core/access/accessFileTemplate';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { builtinOnlyPolicy } from '../../core/access/builtinOnlyPolicy';
import { compilePolicy } from '../../core/policy/compiledPolicy';
import { PROMPT_EXTENSIONS } from '../../core/prompts';
import { USER_DIRECTORY_PATH } from '../../core/release';
import { chainJoins } from '../../core/release/keyChain';
import type { KeyChainResponse, PublicKeyResponse } from '../../shared/api/keys';
import { WorkflowRefusal } from '../../workflows/workingTree';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { openWorkingRepository } from '../gitContext';
import { pullDirectory } from './directory';
import { installPreCommitHookIn } from './hooks';

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * `promptops init` (admin): everything a repository needs, in one go: the access file with
 * the server and its public key pinned, the signed user directory, `.gitattributes` so
 * prompt bytes (and so their hashes) survive any `core.autocrlf`, and the pre-commit hook.
 * Re-running it is safe: what is there is kept.
 */
export function register(program: Command): void {
  program
    .command('init')
    .description(
      `Admin: set this repository up for PromptOps. Writes ${ACCESS_FILE_PATH} (a commented template, or keeps yours) with \`server:\` and the server's \`publicKey\` pinned, ` +
        `pulls the signed user directory into ${USER_DIRECTORY_PATH}, adds .gitattributes lines so prompt files keep their exact bytes, ` +
        'installs the pre-commit hook, and prints what to commit. Safe to run again.',
    )
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((flags: { server?: string; json?: boolean }) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const { repo } = await openWorkingRepository('init');
        const me = await client.me();
        const writer = { username: me.user?.username ?? 'PROMPTOPS_TOKEN', role: me.role };
        // The access file is protected: ask the built-in rules who may change it.
        if (
          !compilePolicy(builtinOnlyPolicy()).decide(writer, 'prompt.edit', { kind: 'file', path: ACCESS_FILE_PATH })
            .allowed
        )
          throw new WorkflowRefusal(
            `init writes protected files (.promptops/**), which only admins may change; you are ${me.user?.username ?? 'signed in'} with role ${me.role}`,
          );
        const [key, chain] = await Promise.all([client.publicKey(), client.keyChain()]);
        const root = repo.root;
        const written: string[] = [];

        const accessPath = join(root, ACCESS_FILE_PATH);
        const existing = readText(accessPath);
        const pinned = pinServerKeepingChainedKey(existing ?? ACCESS_FILE_TEMPLATE, client.server, key, chain);
        if (pinned.kind === 'refused') throw new WorkflowRefusal(pinned.message);
        if (existing === undefined || pinned.added.length > 0) {
          mkdirSync(dirname(accessPath), { recursive: true });
          writeFileSync(accessPath, pinned.text);
          written.push(ACCESS_FILE_PATH);
        }

        await pullDirectory(client, root);
        written.push(USER_DIRECTORY_PATH);

        const attributes = withGitattributes(
          readText(join(root, '.gitattributes')),
          gitattributesLines(PROMPT_EXTENSIONS),
        );
        if (attributes !== undefined) {
          writeFileSync(join(root, '.gitattributes'), attributes);
          written.push('.gitattributes');
        }
        const hook = await installPreCommitHookIn(repo);

        const commit = `git add ${written.join(' ')} && git commit -m "PromptOps: access file, user directory, attributes"`;
        if (flags.json) return printJson({ server: client.server, keyId: key.keyId, written, hook, commit });
        process.stdout.write(
          `${existing === undefined ? 'Wrote' : pinned.added.length > 0 ? `Pinned ${pinned.added.join(' and ')} in` : 'Kept'} ${ACCESS_FILE_PATH} (server ${client.server}, key ${key.keyId}).\n` +
            `Wrote ${USER_DIRECTORY_PATH}.\n` +
            `${written.includes('.gitattributes') ? 'Added' : 'Kept'} .gitattributes lines: ${gitattributesLines(PROMPT_EXTENSIONS).join(', ')}.\n` +
            `Pre-commit hook: ${hook}.\n\n` +
            `Next: review ${ACCESS_FILE_PATH}, then commit and push:\n  ${commit}\n  git push\n` +
            '  promptops apply        # the server enforces the access file as pushed, and writes .promptops/policy.lock\n' +
            '  git add .promptops/policy.lock && git commit -m "PromptOps: signed policy record" && git push\n' +
            'Each teammate: `promptops login` and `promptops hooks install` in their clone.\n',
        );
      }),
    );
}

/**
 * `pinServer` with the server's current key, except that a key already pinned which the
 * server's rotation chain joins to the current one is kept: after a rotation the pinned key
 * stays the trust anchor (verify follows `.promptops/keys.yaml` from it), so init need not refuse.
 */
function pinServerKeepingChainedKey(
  text: string,
  server: string,
  current: PublicKeyResponse,
  chain: KeyChainResponse,
): PinOutcome {
  const pinned = pinServer(text, server, current.spkiBase64);
  if (pinned.kind === 'pinned') return pinned;
  for (const earlier of new Set(chain.links.map((l) => l.previousPublicKey))) {
    if (!chainJoins(earlier, chain.links, current.keyId)) continue;
    const kept = pinServer(text, server, earlier);
    if (kept.kind === 'pinned') return kept;
  }
  return pinned;
}
