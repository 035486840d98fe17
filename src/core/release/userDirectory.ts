import type { KeyObject } from 'node:crypto';
import { hasErrors, type Diagnostic } from '../diagnostics';
import { BUILTIN_ROLES, isBuiltinRole, type BuiltinRole } from '../policy/actions';
import type { CanonicalValue } from './canonicalJson';
import { signValue, verifyValue } from './domainSignature';
import { parseSshSigningKey } from './sshSigningKey';
import { describe, readYamlMap, isoTimeProblem, isPlainObject, keyIdProblem, signatureProblem } from './yamlFields';
import { yamlFlowList, yamlScalar } from './yamlScalar';

/**
 * `.promptops/directory.yaml`: the server's users, their org roles, the git author emails
 * they commit with and the SSH keys they sign commits with, signed by the server so
 * `promptops verify` can map a commit to a user and role without asking the server (and
 * without trusting whoever committed it). Version 2 adds the signing keys and a serial
 * the server increases with every directory it issues (so an old one cannot come back);
 * version 1 files (no keys, serial 0) are still read.
 */
export const USER_DIRECTORY_PATH = '.promptops/directory.yaml';
export const DIRECTORY_SIGNATURE_DOMAIN = 'promptops-directory-v1\n';

export interface DirectoryUser {
  username: string;
  role: BuiltinRole;
  /** Git author emails; compared without regard to case. */
  emails: string[];
  /** SSH commit-signing keys as `ssh-ed25519 AAAA…` (no comment); none in a version 1 file. */
  signingKeys?: string[];
}

export interface UserDirectory {
  /** 2 unless read from a version 1 file; signing always writes version 2. */
  version?: 1 | 2;
  /** Increases with every directory the server issues; 0 for a version 1 file. */
  serial?: number;
  issuedAt: string;
  keyId: string;
  users: DirectoryUser[];
}

export interface SignedUserDirectory extends UserDirectory {
  signature: string;
}

export interface ParsedUserDirectory {
  directory?: SignedUserDirectory;
  diagnostics: Diagnostic[];
}

/**
 * What is signed: users sorted by username, emails lowercased and sorted, so the order a
 * file happens to list them in does not matter.
 */
export function userDirectoryValue(directory: UserDirectory): CanonicalValue {
  const users = normalizedUsers(directory.users);
  if (directory.version === 1)
    return {
      version: 1,
      issuedAt: directory.issuedAt,
      keyId: directory.keyId,
      users: users.map((u) => ({ username: u.username, role: u.role, emails: u.emails })),
    };
  return {
    version: 2,
    serial: directory.serial ?? 0,
    issuedAt: directory.issuedAt,
    keyId: directory.keyId,
    users: users.map((u) => ({
      username: u.username,
      role: u.role,
      emails: u.emails,
      signingKeys: u.signingKeys ?? [],
    })),
  };
}

export function signUserDirectory(directory: UserDirectory, privateKey: KeyObject): SignedUserDirectory {
  const users = normalizedUsers(directory.users);
  const unsigned = {
    version: 2 as const,
    serial: directory.serial ?? 0,
    issuedAt: directory.issuedAt,
    keyId: directory.keyId,
    users,
  };
  return { ...unsigned, signature: signValue(DIRECTORY_SIGNATURE_DOMAIN, userDirectoryValue(unsigned), privateKey) };
}

export function verifyUserDirectorySignature(directory: SignedUserDirectory, publicKey: KeyObject): boolean {
  return verifyValue(DIRECTORY_SIGNATURE_DOMAIN, userDirectoryValue(directory), directory.signature, publicKey);
}

/** The user who commits with this email, if any. */
export function userByEmail(directory: UserDirectory, email: string): DirectoryUser | undefined {
  const wanted = email.trim().toLowerCase();
  return directory.users.find((u) => u.emails.some((e) => e.toLowerCase() === wanted));
}

/** The user a commit-signing key (by `SHA256:` fingerprint) is registered to, if any. */
export function userBySigningKey(directory: UserDirectory, fingerprint: string): DirectoryUser | undefined {
  return directory.users.find((u) => u.signingKeys?.some((k) => fingerprintOf(k) === fingerprint));
}

/** Every signing key in the directory with its owner. */
export function directorySigningKeys(directory: UserDirectory): { username: string; publicKey: string }[] {
  return directory.users.flatMap((u) =>
    (u.signingKeys ?? []).map((publicKey) => ({ username: u.username, publicKey })),
  );
}

// Fingerprints are asked for once per signed commit; keys repeat across directories.
const fingerprints = new Map<string, string | undefined>();
function fingerprintOf(keyLine: string): string | undefined {
  if (!fingerprints.has(keyLine)) {
    const parsed = parseSshSigningKey(keyLine);
    fingerprints.set(keyLine, 'key' in parsed ? parsed.key.fingerprint : undefined);
  }
  return fingerprints.get(keyLine);
}

export function serializeUserDirectory(directory: SignedUserDirectory): string {
  const lines = [
    '# PromptOps user directory: who commits with which email, and their org role.',
    '# Issued and signed by the PromptOps server; `promptops verify` checks the signature.',
    ...(directory.version === 1 ? ['version: 1'] : ['version: 2', `serial: ${directory.serial ?? 0}`]),
    `issuedAt: ${yamlScalar(directory.issuedAt)}`,
    `keyId: ${yamlScalar(directory.keyId)}`,
  ];
  const users = normalizedUsers(directory.users);
  if (users.length === 0) lines.push('users: []');
  else {
    lines.push('users:');
    for (const u of users) {
      lines.push(
        `  - username: ${yamlScalar(u.username)}`,
        `    role: ${u.role}`,
        `    emails: ${yamlFlowList(u.emails)}`,
      );
      if (directory.version !== 1) lines.push(`    signingKeys: ${yamlFlowList(u.signingKeys ?? [])}`);
    }
  }
  lines.push(`signature: ${yamlScalar(directory.signature)}`);
  return `${lines.join('\n')}\n`;
}

/** Reads the directory file; never throws. An email may belong to one user only. */
export function parseUserDirectory(text: string, file: string = USER_DIRECTORY_PATH): ParsedUserDirectory {
  const read = readYamlMap(
    text,
    file,
    (found) =>
      `the user directory must be a map with "version", "issuedAt", "keyId", "users" and "signature", not ${found}`,
  );
  if (!read.ok) return { diagnostics: read.diagnostics };
  const { data, reader } = read;
  if (data.version !== 1 && data.version !== 2)
    reader.error(
      data.version === undefined ? [] : ['version'],
      data.version === undefined
        ? 'missing field "version" (expected 2)'
        : `unsupported version ${JSON.stringify(data.version)}; this PromptOps reads versions 1 and 2`,
    );
  const version = data.version === 1 ? 1 : 2;
  reader.unknownKeys(
    data,
    [],
    ['version', ...(version === 2 ? ['serial'] : []), 'issuedAt', 'keyId', 'users', 'signature'],
  );
  let serial = 0;
  if (version === 2) {
    if (typeof data.serial === 'number' && Number.isSafeInteger(data.serial) && data.serial >= 0) serial = data.serial;
    else
      reader.error(
        data.serial === undefined ? [] : ['serial'],
        data.serial === undefined
          ? 'missing field "serial" (the number the server issued this directory with)'
          : `"serial" must be a whole number ≥ 0, not ${describe(data.serial)}`,
      );
  }
  const issuedAt = reader.string(data, [], 'issuedAt', isoTimeProblem);
  const keyId = reader.string(data, [], 'keyId', keyIdProblem);
  const signature = reader.string(data, [], 'signature', signatureProblem);
  const users: DirectoryUser[] = [];
  const rawUsers = data.users ?? [];
  if (!Array.isArray(rawUsers)) reader.error(['users'], `"users" must be a list, not ${describe(rawUsers)}`);
  else {
    const usernames = new Map<string, number>();
    const emails = new Map<string, string>();
    const keys = new Map<string, string>();
    rawUsers.forEach((item: unknown, i) => {
      const path = ['users', i] as const;
      if (!isPlainObject(item)) return reader.error(path, `each user must be a map, not ${describe(item)}`);
      reader.unknownKeys(item, path, ['username', 'role', 'emails', ...(version === 2 ? ['signingKeys'] : [])]);
      const username = reader.string(item, path, 'username');
      const role = reader.string(item, path, 'role', (r) =>
        isBuiltinRole(r) ? undefined : `unknown org role "${r}"; expected one of ${BUILTIN_ROLES.join(', ')}`,
      );
      const userEmails = reader.stringList(item, path, 'emails');
      const signingKeys = item.signingKeys === undefined ? [] : reader.stringList(item, path, 'signingKeys');
      if (username === undefined || role === undefined || userEmails === undefined || signingKeys === undefined) return;
      const first = usernames.get(username.toLowerCase());
      if (first !== undefined)
        return reader.error([...path, 'username'], `user "${username}" is listed twice (also users[${first}])`);
      usernames.set(username.toLowerCase(), i);
      for (const [j, email] of userEmails.entries()) {
        const owner = emails.get(email.toLowerCase());
        if (owner !== undefined && owner !== username)
          return reader.error([...path, 'emails', j], `email ${email} already belongs to user "${owner}"`);
        emails.set(email.toLowerCase(), username);
      }
      for (const [j, keyLine] of signingKeys.entries()) {
        const parsed = parseSshSigningKey(keyLine);
        if (!('key' in parsed)) return reader.error([...path, 'signingKeys', j], parsed.problem);
        if (parsed.key.publicKey !== keyLine.trim())
          return reader.error([...path, 'signingKeys', j], 'expected "ssh-ed25519 AAAA…" without a comment');
        const owner = keys.get(parsed.key.fingerprint);
        if (owner !== undefined)
          return reader.error(
            [...path, 'signingKeys', j],
            `signing key ${parsed.key.fingerprint} already belongs to user "${owner}"`,
          );
        keys.set(parsed.key.fingerprint, username);
      }
      users.push({
        username,
        role: role as BuiltinRole,
        emails: userEmails,
        signingKeys: signingKeys.map((k) => k.trim()),
      });
    });
  }
  if (hasErrors(reader.diagnostics) || issuedAt === undefined || keyId === undefined || signature === undefined)
    return { diagnostics: reader.diagnostics };
  return {
    directory: { version, serial, issuedAt, keyId, users: normalizedUsers(users), signature },
    diagnostics: reader.diagnostics,
  };
}

function normalizedUsers(users: readonly DirectoryUser[]): DirectoryUser[] {
  return users
    .map((u) => ({
      username: u.username,
      role: u.role,
      emails: [...new Set(u.emails.map((e) => e.trim().toLowerCase()))].sort(),
      signingKeys: [...new Set((u.signingKeys ?? []).map((k) => k.trim()))].sort(),
    }))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}
