import { execFileSync } from 'node:child_process';
import {
  contentSha256,
  exportPublicKeyBase64,
  generateSigningKey,
  serializeUserDirectory,
  signRelease,
  signUserDirectory,
  upsertRelease,
  type DirectoryUser,
  type ReleaseRecord,
  type SigningKey,
} from '../../src/core/release';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempGitRepo, writeFiles } from './cli';
import { sshKeygen, type SshKeyFiles } from './sshKeys';

/** The team of the gate tests: who commits with which email, and their org role. */
export const TEAM: DirectoryUser[] = [
  { username: 'root', role: 'admin', emails: ['root@example.com', 'test@example.com'] },
  { username: 'alice', role: 'editor', emails: ['alice@example.com'] },
  { username: 'carol', role: 'editor', emails: ['carol@example.com'] },
  { username: 'vic', role: 'viewer', emails: ['vic@example.com'] },
];

export function accessFile(key: SigningKey | undefined, extra = ''): string {
  return `version: 1
${key ? `publicKey: ${exportPublicKeyBase64(key.publicKey)}\n` : ''}roles:
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { carol: publisher }
    environments:
      prod: { edit: [publisher], publish: [publisher] }
${extra}`;
}

export const REPLY = '---\nmodel: gpt-4o\nenv: prod\n---\n<system>\n  Answer support questions briefly.\n</system>\n';
export const DRAFT = '---\nmodel: gpt-4o\nenv: dev\n---\n<system>\n  Draft a reply.\n</system>\n';

export function directoryFile(key: SigningKey, users: DirectoryUser[] = TEAM, serial = 1): string {
  return serializeUserDirectory(
    signUserDirectory({ serial, issuedAt: '2025-03-01T10:00:00.000Z', keyId: key.keyId, users }, key.privateKey),
  );
}

export function releaseOf(
  path: string,
  content: string,
  key: SigningKey,
  fields: Partial<ReleaseRecord> = {},
): ReturnType<typeof signRelease> {
  return signRelease(
    {
      path,
      name: path.replace(/^.*\//, '').replace(/\..*$/, ''),
      workspace: 'support',
      env: 'prod',
      sha256: contentSha256(content),
      reviewId: 'r-1',
      author: 'alice',
      approvers: ['carol'],
      publisher: 'carol',
      publishedAt: '2025-03-02T09:00:00.000Z',
      keyId: key.keyId,
      ...fields,
    },
    key.privateKey,
  );
}

export interface GateRepo {
  dir: string;
  key: SigningKey;
  git(...args: string[]): string;
  /** Writes files and commits everything as the given email, signed with `signWith` when given. */
  commitAs(email: string, files: Record<string, string>, message?: string, signWith?: SshKeyFiles): string;
}

/** `git -c …` arguments that sign a commit with an SSH key file (what `gpg.format ssh` users configure). */
export function signingConfig(key: SshKeyFiles | undefined): string[] {
  return key ? ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key.privatePath}`, '-c', 'commit.gpgsign=true'] : [];
}

/** Real ssh-keygen keys for TEAM (plus `eve`, who is registered to nobody), made once per test run. */
let teamKeys: Record<string, SshKeyFiles> | undefined;
export function sshTeamKeys(): Record<string, SshKeyFiles> {
  if (!teamKeys) {
    const dir = mkdtempSync(join(tmpdir(), 'promptops-ssh-'));
    teamKeys = Object.fromEntries(['root', 'alice', 'carol', 'vic', 'eve'].map((n) => [n, sshKeygen(dir, n)]));
  }
  return teamKeys;
}

/** TEAM with each member's SSH signing key registered (eve's is not). */
export function signingTeam(): DirectoryUser[] {
  const keys = sshTeamKeys();
  return TEAM.map((u) => ({ ...u, signingKeys: [keys[u.username].publicKey] }));
}

/**
 * A real repo: access file pinning a fresh key, a signed user directory, a published prod
 * prompt (`prompts/support/reply.prompt`) and a dev draft, committed by the admin.
 */
export function gateRepo(options: { signed?: boolean } = {}): GateRepo {
  const key = generateSigningKey();
  const dir = tempGitRepo({
    '.promptops/access.yaml': accessFile(key, options.signed ? 'requireSignedCommits: true\n' : ''),
    '.promptops/directory.yaml': directoryFile(key, options.signed ? signingTeam() : TEAM),
    '.promptops/published.yaml': upsertRelease(undefined, releaseOf('prompts/support/reply.prompt', REPLY, key)),
    'prompts/support/reply.prompt': REPLY,
    'prompts/support/draft.prompt': DRAFT,
    'README.md': '# prompts\n',
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  return {
    dir,
    key,
    git,
    commitAs(email, files, message = 'change', signWith) {
      writeFiles(dir, files);
      git('add', '-A');
      git(
        ...signingConfig(signWith),
        '-c',
        `user.email=${email}`,
        '-c',
        `user.name=${email.split('@')[0]}`,
        'commit',
        '-qm',
        message,
        '--no-verify',
      );
      return git('rev-parse', 'HEAD').trim();
    },
  };
}

export const generateKey = generateSigningKey;
