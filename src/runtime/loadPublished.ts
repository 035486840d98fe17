import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseAccessFile } from '../core/access';
import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { formatDiagnostic } from '../core/diagnostics';
import { parsePromptFile, type PromptModel } from '../core/prompts';
import { followKeyChain, KEY_CHAIN_PATH, parseKeyChain } from '../core/release/keyChain';
import { trustedKeys, verifyLockEntry, type LockEntryProblem } from '../core/release/lockEntryVerdict';
import { retiredEntries } from '../core/release/lockFreshness';
import { parseReleaseLock, RELEASE_LOCK_PATH } from '../core/release/releaseLock';
import { trustedUnpublishes, UNPUBLISHED_PATH, type SignedUnpublish } from '../core/release/unpublishedFile';
import type { SignedRelease } from '../core/release/releaseRecord';
import { importPublicKey } from '../core/release/signingKeys';
import { PublishedPromptError, type PublishedPromptErrorCode } from './publishedPromptError';

export interface LoadPublishedOptions {
  /** The prompt repository's folder (a checkout, or the files deployed with the app). */
  repoDir: string;
  /** The prompt's name, as recorded in the release lock. */
  name: string;
  env: string;
  /**
   * The trust anchor: the server's public key (PEM, base64 SPKI, or a KeyObject), from the
   * application's configuration. One of `publicKey`, `publicKeyFile` or
   * `trustRepositoryKey: true` is required.
   */
  publicKey?: string | KeyObject;
  /** A file holding the server's public key (PEM or base64 SPKI), read at each load. */
  publicKeyFile?: string;
  /**
   * Trust the key pinned in the folder's own access file. That only proves the folder's
   * files agree with each other: whoever can write the folder can pin their own key. For
   * development and tests, never production.
   */
  trustRepositoryKey?: boolean;
}

export interface PublishedPrompt {
  /** The verified release record; `record.evaluation` is the digest of the server's passing evaluation run, when the rule required one. */
  record: SignedRelease;
  prompt: PromptModel;
  /** The file's text exactly as published. */
  text: string;
}

/**
 * The published version of a prompt, only after checking that the file's bytes are the
 * ones the release records and that the release is signed by the server's key.
 * Throws a PublishedPromptError (with a `code`) otherwise.
 */
const LOAD_ERROR_CODES = {
  'content-missing': 'FILE_MISSING',
  'hash-mismatch': 'HASH_MISMATCH',
  'unknown-key': 'BAD_SIGNATURE',
  'bad-signature': 'BAD_SIGNATURE',
} as const satisfies Record<LockEntryProblem['kind'], PublishedPromptErrorCode>;

export async function loadPublished(options: LoadPublishedOptions): Promise<PublishedPrompt> {
  const root = resolve(options.repoDir);
  // Configuration first: a missing anchor is a deployment error whatever the folder holds.
  const key = await trustAnchor(root, options);
  const lockText = await readText(root, RELEASE_LOCK_PATH);
  if (lockText === undefined)
    throw new PublishedPromptError(
      'NO_LOCK',
      `${resolve(root, RELEASE_LOCK_PATH)} does not exist: nothing has been published in ${root}`,
    );
  const lock = parseReleaseLock(lockText);
  if (!lock.entries) {
    const first = lock.diagnostics.find((d) => d.severity === 'error');
    throw new PublishedPromptError(
      'INVALID_LOCK',
      `the release lock is malformed: ${first ? formatDiagnostic(first) : RELEASE_LOCK_PATH}`,
    );
  }
  const matches = lock.entries.filter((e) => e.release.name === options.name && e.release.env === options.env);
  // Signed unpublish records (read only when they matter): say "unpublished", not "not published" or a hash error.
  const trusted = trustedKeys(...(await chainedKeys(root, key)));
  const unpublished = async () => trustedUnpublishes(await readText(root, UNPUBLISHED_PATH), trusted).records;
  if (matches.length === 0) {
    const record = [...(await unpublished()).values()].find((r) => r.name === options.name && r.env === options.env);
    if (record) throw unpublishedError(record);
    const envs = lock.entries.filter((e) => e.release.name === options.name).map((e) => e.release.env);
    const hint = envs.length ? ` (it is published in ${envs.join(', ')})` : '';
    throw new PublishedPromptError(
      'NOT_PUBLISHED',
      `prompt "${options.name}" has no published version in ${options.env}${hint}`,
    );
  }
  if (matches.length > 1) {
    throw new PublishedPromptError(
      'AMBIGUOUS',
      `prompt "${options.name}" is published in ${options.env} from several files: ${matches.map((m) => m.release.path).join(', ')}; give each a distinct name`,
    );
  }
  const entry = matches[0];
  const record = entry.release;
  const records = await unpublished();
  if (retiredEntries([entry], records).length > 0)
    throw unpublishedError(
      records.get(`${record.path}\0${record.env}`)!,
      ' (the lock still holds the release it retired)',
    );
  const bytes = await readBytes(root, record.path);
  const verdict = verifyLockEntry(entry, bytes, trusted);
  if (!verdict.ok) {
    const message = `${record.path}: ${verdict.message}`;
    throw new PublishedPromptError(LOAD_ERROR_CODES[verdict.kind], message);
  }
  // An ok verdict means the bytes were there and hashed right.
  const text = new TextDecoder('utf-8').decode(bytes);
  const parsed = parsePromptFile(record.path, text);
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (!parsed.prompt || error)
    throw new PublishedPromptError(
      'INVALID_PROMPT',
      `${record.path} does not read as a prompt: ${error ? formatDiagnostic(error) : 'unknown format'}`,
    );
  return { record, prompt: parsed.prompt.model, text };
}

function unpublishedError(record: SignedUnpublish, more = ''): PublishedPromptError {
  return new PublishedPromptError(
    'UNPUBLISHED',
    `prompt "${record.name}" (${record.path}) was unpublished from ${record.env} by ${record.unpublishedBy} at ${record.unpublishedAt} ` +
      `(it retired review ${record.reviewId}, published ${record.publishedAt})${more}: nothing is published there now; publish it again through a new review`,
  );
}

/**
 * The anchor and the keys the folder's `.promptops/keys.yaml` joins to it by rotation links
 * both keys signed (the server's key rotated since the anchor was configured). A link that
 * does not verify joins nothing, so a folder's writer cannot add a key of their own.
 */
async function chainedKeys(root: string, anchor: KeyObject): Promise<KeyObject[]> {
  const text = await readText(root, KEY_CHAIN_PATH);
  const links = text === undefined ? [] : (parseKeyChain(text).links ?? []);
  return followKeyChain(anchor, links).keys;
}

/** The one key releases are checked against, from the options only (see LoadPublishedOptions). */
async function trustAnchor(root: string, options: LoadPublishedOptions): Promise<KeyObject> {
  const given = [
    options.publicKey !== undefined,
    options.publicKeyFile !== undefined,
    options.trustRepositoryKey === true,
  ];
  if (given.filter(Boolean).length > 1)
    throw new PublishedPromptError(
      'NO_PUBLIC_KEY',
      'give one of publicKey, publicKeyFile or trustRepositoryKey, not several',
    );
  if (options.publicKey !== undefined && typeof options.publicKey !== 'string') return options.publicKey;
  let text: string | undefined;
  let source: string;
  if (options.publicKey !== undefined) {
    text = options.publicKey;
    source = 'the publicKey option';
  } else if (options.publicKeyFile !== undefined) {
    source = `publicKeyFile ${options.publicKeyFile}`;
    try {
      text = await readFile(options.publicKeyFile, 'utf8');
    } catch (e) {
      throw new PublishedPromptError(
        'NO_PUBLIC_KEY',
        `${source}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  } else if (options.trustRepositoryKey === true) {
    source = `publicKey in ${resolve(root, ACCESS_FILE_PATH)} (trustRepositoryKey)`;
    const access = await readText(root, ACCESS_FILE_PATH);
    text = access === undefined ? undefined : parseAccessFile(access).policy?.publicKey;
    if (text === undefined)
      throw new PublishedPromptError(
        'NO_PUBLIC_KEY',
        `trustRepositoryKey is set, but ${ACCESS_FILE_PATH} in ${root} pins no publicKey (or does not parse)`,
      );
  } else {
    throw new PublishedPromptError(
      'NO_PUBLIC_KEY',
      `no trust anchor: pass publicKey or publicKeyFile (the server's key, from GET /api/keys/public); a key found only in the folder is not trusted unless trustRepositoryKey: true`,
    );
  }
  try {
    return importPublicKey(text);
  } catch (e) {
    throw new PublishedPromptError('NO_PUBLIC_KEY', `${source}: ${(e as Error).message}`);
  }
}

/** Reads a repo-relative file, never outside `root` (the lock's paths are data, not trusted). */
async function readBytes(root: string, path: string): Promise<Buffer | undefined> {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  try {
    return await readFile(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR')
      return undefined;
    throw e;
  }
}

async function readText(root: string, path: string): Promise<string | undefined> {
  const bytes = await readBytes(root, path);
  return bytes && new TextDecoder('utf-8').decode(bytes);
}
