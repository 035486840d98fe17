import type { KeyObject } from 'node:crypto';
import { hasErrors, type Diagnostic } from '../diagnostics';
import type { CanonicalValue } from './canonicalJson';
import { signValue, verifyValue } from './domainSignature';
import { exportPublicKeyBase64, importPublicKey, keyIdOf } from './signingKeys';
import { describe, isoTimeProblem, isPlainObject, keyIdProblem, readYamlMap, signatureProblem } from './yamlFields';
import { yamlScalar } from './yamlScalar';

/**
 * `.promptops/keys.yaml`: the server's signing keys over time. Each rotation adds a link in
 * which the old key names the new one (keyId, public key, serial, date). Both keys sign the
 * link: the old key's signature lets a verifier that trusts the old key accept the new one;
 * the new key's lets a verifier that was configured with the new key accept releases the old
 * key signed earlier. Anyone else's key can sign neither half, so no one can graft a link on.
 */
export const KEY_CHAIN_PATH = '.promptops/keys.yaml';
export const KEY_LINK_SIGNATURE_DOMAIN = 'promptops-key-link-v1\n';

export interface KeyLink {
  /** 1 for the first rotation, then one more with each. */
  serial: number;
  previousKeyId: string;
  /** Base64 SPKI DER of the key being replaced. */
  previousPublicKey: string;
  keyId: string;
  /** Base64 SPKI DER of the new key. */
  publicKey: string;
  rotatedAt: string;
  rotatedBy: string;
}

export interface SignedKeyLink extends KeyLink {
  /** By the previous key. */
  signature: string;
  /** By the new key, over the same bytes. */
  successorSignature: string;
}

const LINK_FIELDS = [
  'serial',
  'previousKeyId',
  'previousPublicKey',
  'keyId',
  'publicKey',
  'rotatedAt',
  'rotatedBy',
  'signature',
  'successorSignature',
] as const;

export function keyLinkValue(link: KeyLink): CanonicalValue {
  return {
    serial: link.serial,
    previousKeyId: link.previousKeyId,
    previousPublicKey: link.previousPublicKey,
    keyId: link.keyId,
    publicKey: link.publicKey,
    rotatedAt: link.rotatedAt,
    rotatedBy: link.rotatedBy,
  };
}

/** The link from `previous` to `next`, signed by both. */
export function signKeyLink(
  fields: { serial: number; rotatedAt: string; rotatedBy: string },
  previous: { privateKey: KeyObject; publicKey: KeyObject },
  next: { privateKey: KeyObject; publicKey: KeyObject },
): SignedKeyLink {
  const link: KeyLink = {
    serial: fields.serial,
    previousKeyId: keyIdOf(previous.publicKey),
    previousPublicKey: exportPublicKeyBase64(previous.publicKey),
    keyId: keyIdOf(next.publicKey),
    publicKey: exportPublicKeyBase64(next.publicKey),
    rotatedAt: fields.rotatedAt,
    rotatedBy: fields.rotatedBy,
  };
  const value = keyLinkValue(link);
  return {
    ...link,
    signature: signValue(KEY_LINK_SIGNATURE_DOMAIN, value, previous.privateKey),
    successorSignature: signValue(KEY_LINK_SIGNATURE_DOMAIN, value, next.privateKey),
  };
}

export interface KeyChainProblem {
  /** `.promptops/keys.yaml` (with `:line:col` for a malformed file). */
  file: string;
  reason: string;
}

export interface FollowedChain {
  /** The anchor and every key a valid link joins to it, oldest first. */
  keys: KeyObject[];
  problems: KeyChainProblem[];
}

/**
 * The keys the anchor vouches for through the chain. The links must form one line (serials
 * 1, 2, 3…, each starting from the key the one before introduced) and each link must carry
 * both keys' signatures; a link that does not is refused, and so is everything it would
 * join. A chain the anchor is not part of vouches for nothing. Without links, the anchor alone.
 */
export function followKeyChain(anchor: KeyObject, links: readonly SignedKeyLink[]): FollowedChain {
  const anchorId = keyIdOf(anchor);
  if (links.length === 0) return { keys: [anchor], problems: [] };
  const problems: KeyChainProblem[] = [];
  const problem = (reason: string) => problems.push({ file: KEY_CHAIN_PATH, reason });
  // Position i is key i: the root (the first link's previous key), then each link's new key.
  const ids = [links[0].previousKeyId, ...links.map((l) => l.keyId)];
  const keys: (KeyObject | undefined)[] = [links[0].previousPublicKey, ...links.map((l) => l.publicKey)].map((t, i) => {
    try {
      const key = importPublicKey(t);
      return keyIdOf(key) === ids[i] ? key : undefined;
    } catch {
      return undefined;
    }
  });
  // Link i joins key i and key i+1 when it is well formed and both signed it.
  const joined = links.map((link, i) => {
    const at = `link ${i + 1} (serial ${link.serial})`;
    if (link.serial !== i + 1) {
      problem(
        `${at}: serials must run 1, 2, 3… in order; a repeated or missing serial is a forked or cut chain, and vouches for no key after it`,
      );
      return false;
    }
    if (i > 0 && (link.previousKeyId !== links[i - 1].keyId || link.previousPublicKey !== links[i - 1].publicKey)) {
      problem(
        `${at} starts from key ${link.previousKeyId}, but link ${i} introduced ${links[i - 1].keyId}: a forked chain vouches for no key after the fork`,
      );
      return false;
    }
    const before = keys[i];
    const after = keys[i + 1];
    if (!before || !after) {
      problem(`${at}: a public key does not match its keyId (or is not an Ed25519 key)`);
      return false;
    }
    const value = keyLinkValue(link);
    if (!verifyValue(KEY_LINK_SIGNATURE_DOMAIN, value, link.signature, before)) {
      problem(
        `${at} naming key ${link.keyId} is not signed by its predecessor ${link.previousKeyId}: only the server's current key can introduce the next`,
      );
      return false;
    }
    if (!verifyValue(KEY_LINK_SIGNATURE_DOMAIN, value, link.successorSignature, after)) {
      problem(`${at}: the new key ${link.keyId} did not sign the link (successorSignature)`);
      return false;
    }
    return true;
  });
  const start = ids.findIndex((id, i) => id === anchorId && keys[i] !== undefined);
  if (start < 0) {
    problem(
      `no link names the trusted key ${anchorId}: this chain belongs to another key and vouches for none of its keys`,
    );
    return { keys: [anchor], problems };
  }
  let first = start;
  while (first > 0 && joined[first - 1]) first--;
  let last = start;
  while (last < links.length && joined[last]) last++;
  return { keys: keys.slice(first, last + 1) as KeyObject[], problems };
}

/** Whether `links` join the key `anchor` (base64 SPKI, as pinned) to the key `keyId` by valid rotations. */
export function chainJoins(anchor: string, links: readonly SignedKeyLink[], keyId: string): boolean {
  let key: KeyObject;
  try {
    key = importPublicKey(anchor);
  } catch {
    return false;
  }
  return followKeyChain(key, links).keys.some((k) => keyIdOf(k) === keyId);
}

/** Whether `later` keeps every link of `earlier` unchanged (a chain only grows at its end). */
export function extendsChain(earlier: readonly SignedKeyLink[], later: readonly SignedKeyLink[]): boolean {
  return (
    later.length >= earlier.length && earlier.every((link, i) => LINK_FIELDS.every((f) => link[f] === later[i][f]))
  );
}

export function serializeKeyChain(links: readonly SignedKeyLink[]): string {
  const lines = [
    "# PromptOps key chain: each rotation of the server's signing key, signed by the old key and the new.",
    '# Written by `promptops server-key rotate` and `promptops directory pull`; `promptops verify` follows it',
    '# from the trusted key, so releases signed by any key of the chain keep verifying.',
    'version: 1',
  ];
  if (links.length === 0) lines.push('links: []');
  else {
    lines.push('links:');
    for (const link of links)
      LINK_FIELDS.forEach((field, i) => {
        const value = field === 'serial' ? String(link.serial) : yamlScalar(link[field]);
        lines.push(`${i === 0 ? '  - ' : '    '}${field}: ${value}`);
      });
  }
  return `${lines.join('\n')}\n`;
}

export interface ParsedKeyChain {
  links?: SignedKeyLink[];
  diagnostics: Diagnostic[];
}

/** Reads the key chain file; never throws. Every problem is located (file, line, field). */
export function parseKeyChain(text: string, file: string = KEY_CHAIN_PATH): ParsedKeyChain {
  const read = readYamlMap(
    text,
    file,
    (found) => `the key chain must be a map with "version" and "links", not ${found}`,
  );
  if (!read.ok) return { diagnostics: read.diagnostics };
  const { data, reader } = read;
  if (data.version !== 1)
    reader.error(
      data.version === undefined ? [] : ['version'],
      data.version === undefined
        ? 'missing field "version" (expected 1)'
        : `unsupported version ${JSON.stringify(data.version)}; expected 1`,
    );
  reader.unknownKeys(data, [], ['version', 'links']);
  const links: SignedKeyLink[] = [];
  const raw = data.links ?? [];
  if (!Array.isArray(raw)) reader.error(['links'], `"links" must be a list, not ${describe(raw)}`);
  else
    raw.forEach((item: unknown, i) => {
      const path = ['links', i] as const;
      if (!isPlainObject(item)) return reader.error(path, `each link must be a map, not ${describe(item)}`);
      reader.unknownKeys(item, path, LINK_FIELDS);
      const serial = item.serial;
      if (typeof serial !== 'number' || !Number.isSafeInteger(serial) || serial < 1)
        reader.error(
          serial === undefined ? path : [...path, 'serial'],
          serial === undefined
            ? 'missing field "serial"'
            : `"serial" must be a whole number ≥ 1, not ${describe(serial)}`,
        );
      const text = (key: string, check?: (v: string) => string | undefined) => reader.string(item, path, key, check);
      const link = {
        serial,
        previousKeyId: text('previousKeyId', keyIdProblem),
        previousPublicKey: text('previousPublicKey'),
        keyId: text('keyId', keyIdProblem),
        publicKey: text('publicKey'),
        rotatedAt: text('rotatedAt', isoTimeProblem),
        rotatedBy: text('rotatedBy'),
        signature: text('signature', signatureProblem),
        successorSignature: text('successorSignature', signatureProblem),
      };
      if (Object.values(link).every((v) => v !== undefined)) links.push(link as SignedKeyLink);
    });
  return hasErrors(reader.diagnostics)
    ? { diagnostics: reader.diagnostics }
    : { links, diagnostics: reader.diagnostics };
}
