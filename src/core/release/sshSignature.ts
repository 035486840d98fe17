import { createHash, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { sshFingerprint } from './sshSigningKey';

/**
 * SSH signatures (`ssh-keygen -Y sign`, git's `gpg.format=ssh`), checked in-process as
 * `ssh-keygen -Y verify -n git` checks them. Format: PROTOCOL.sshsig in OpenSSH.
 */
export type SignatureStatus =
  /** A signature that verifies, by a key in the registered set. */
  | 'good'
  /** A signature by a key nobody registered (only ssh-ed25519 keys can be). */
  | 'unknown-key'
  /** The signature does not match the commit (changed after signing, forged, another namespace, malformed). */
  | 'bad'
  /** No signature. */
  | 'unsigned'
  /** A signature that cannot be checked here: OpenPGP or X.509 (gpg.format openpgp / x509). */
  | 'unverifiable';

export interface CommitSignature {
  status: SignatureStatus;
  /** The signing key's fingerprint (`SHA256:…`) when the signature names an SSH key; empty otherwise. */
  fingerprint: string;
  /** For `bad` and `unverifiable`: what was found, for messages. */
  detail?: string;
}

const MAGIC = Buffer.from('SSHSIG');
const NAMESPACE = 'git';
const ARMOR = /^-----BEGIN SSH SIGNATURE-----\r?\n([A-Za-z0-9+/=\s]*?)-----END SSH SIGNATURE-----\s*$/;

/** A parsed SSHSIG blob: the fields the signed data and the verdict need. */
export interface SshSignature {
  publicKey: Buffer;
  namespace: string;
  hashAlgorithm: string;
  /** The inner SSH signature blob: string type, then the type's signature bytes. */
  signature: Buffer;
}

/** Reads an armored `-----BEGIN SSH SIGNATURE-----` block; a sentence saying what is wrong otherwise. */
export function parseSshSignature(armored: string): { signature: SshSignature } | { problem: string } {
  const m = ARMOR.exec(armored);
  if (!m) return { problem: 'not an armored SSH signature' };
  const blob = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  try {
    const r = new SshReader(blob);
    if (!r.bytes(MAGIC.length).equals(MAGIC)) return { problem: 'the signature does not start with SSHSIG' };
    const version = r.uint32();
    if (version !== 1) return { problem: `SSHSIG version ${version} (only 1 exists)` };
    const publicKey = r.string();
    const namespace = r.string().toString('utf8');
    r.string(); // reserved: not part of what is signed (ssh-keygen signs it empty)
    const hashAlgorithm = r.string().toString('utf8');
    const signature = r.string();
    if (!r.done()) return { problem: 'bytes after the signature' };
    return { signature: { publicKey, namespace, hashAlgorithm, signature } };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/**
 * The verdict on a signature over `payload`: `registered` holds the fingerprints of the keys
 * that name users. The signature is checked before the key is looked up, as git does, so a
 * forged signature is `bad` whoever's key it names.
 */
export function checkSshSignature(
  payload: Uint8Array,
  armored: string,
  registered: ReadonlySet<string>,
): CommitSignature {
  if (!armored.startsWith('-----BEGIN SSH SIGNATURE-----'))
    return {
      status: 'unverifiable',
      fingerprint: '',
      detail: armored.startsWith('-----BEGIN PGP')
        ? 'an OpenPGP (gpg) signature'
        : armored.startsWith('-----BEGIN SIGNED MESSAGE')
          ? 'an X.509 signature'
          : 'not an SSH signature',
    };
  const parsed = parseSshSignature(armored);
  if ('problem' in parsed) return { status: 'bad', fingerprint: '', detail: parsed.problem };
  const sig = parsed.signature;
  const fingerprint = sshFingerprint(sig.publicKey);
  const bad = (detail: string): CommitSignature => ({ status: 'bad', fingerprint, detail });
  if (sig.namespace !== NAMESPACE) return bad(`made for namespace "${sig.namespace}", not "${NAMESPACE}"`);
  if (sig.hashAlgorithm !== 'sha256' && sig.hashAlgorithm !== 'sha512')
    return bad(`hash algorithm "${sig.hashAlgorithm}" (sha256 or sha512 expected)`);
  const key = sshPublicKey(sig.publicKey);
  if ('problem' in key)
    // Only ssh-ed25519 keys can be registered, so whatever this signature is worth it names no user.
    return registered.has(fingerprint) ? bad(key.problem) : { status: 'unknown-key', fingerprint, detail: key.problem };
  if (!verifyInner(key, signedData(sig, payload), sig.signature)) return bad('the signature does not verify');
  return { status: registered.has(fingerprint) ? 'good' : 'unknown-key', fingerprint };
}

/** What the key signs: the magic, namespace, an empty reserved field, the hash name and the payload's hash. */
function signedData(sig: SshSignature, payload: Uint8Array): Buffer {
  const hash = createHash(sig.hashAlgorithm).update(payload).digest();
  return Buffer.concat([
    MAGIC,
    sshString(Buffer.from(sig.namespace)),
    sshString(Buffer.alloc(0)),
    sshString(Buffer.from(sig.hashAlgorithm)),
    sshString(hash),
  ]);
}

interface VerifyingKey {
  type: string;
  key: KeyObject;
  /** The signature types this key may make, with the digest each uses (null: ed25519's own). */
  algorithms: Record<string, string | null>;
  /** ECDSA: bytes per coordinate, for the r||s form node verifies. */
  coordinate?: number;
}

const CURVES: Record<string, { crv: string; hash: string; size: number }> = {
  nistp256: { crv: 'P-256', hash: 'sha256', size: 32 },
  nistp384: { crv: 'P-384', hash: 'sha384', size: 48 },
  nistp521: { crv: 'P-521', hash: 'sha512', size: 66 },
};

/** An SSH public key blob as a node key: ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa. */
export function sshPublicKey(blob: Buffer): VerifyingKey | { problem: string } {
  let type = '';
  try {
    const r = new SshReader(blob);
    type = r.string().toString('utf8');
    const jwk = (j: JsonWebKey) => createPublicKey({ key: j, format: 'jwk' });
    if (type === 'ssh-ed25519') {
      const x = r.string();
      if (x.length !== 32 || !r.done()) return { problem: 'a damaged ssh-ed25519 key' };
      return {
        type,
        key: jwk({ kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }),
        algorithms: { [type]: null },
      };
    }
    const curve = CURVES[type.replace(/^ecdsa-sha2-/, '')];
    if (type.startsWith('ecdsa-sha2-') && curve) {
      const name = r.string().toString('utf8');
      const q = r.string();
      if (`ecdsa-sha2-${name}` !== type || q.length !== 1 + 2 * curve.size || q[0] !== 4 || !r.done())
        return { problem: `a damaged ${type} key` };
      const x = q.subarray(1, 1 + curve.size).toString('base64url');
      const y = q.subarray(1 + curve.size).toString('base64url');
      return {
        type,
        key: jwk({ kty: 'EC', crv: curve.crv, x, y }),
        algorithms: { [type]: curve.hash },
        coordinate: curve.size,
      };
    }
    if (type === 'ssh-rsa') {
      const e = unsigned(r.string());
      const n = unsigned(r.string());
      if (!r.done() || n.length < 256) return { problem: 'an ssh-rsa key shorter than 2048 bits, or damaged' };
      return {
        type,
        key: jwk({ kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') }),
        // As ssh-keygen: never ssh-rsa's SHA-1 signatures.
        algorithms: { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' },
      };
    }
  } catch {
    return { problem: `a damaged ${type || 'SSH'} key` };
  }
  return {
    problem: `a ${type.slice(0, 60)} key, which verify cannot check (ssh-ed25519, ecdsa-sha2-nistp* or ssh-rsa)`,
  };
}

function verifyInner(key: VerifyingKey, data: Buffer, inner: Buffer): boolean {
  try {
    const r = new SshReader(inner);
    const algorithm = r.string().toString('utf8');
    const bytes = r.string();
    if (!r.done() || !Object.hasOwn(key.algorithms, algorithm)) return false;
    const digest = key.algorithms[algorithm];
    if (key.coordinate === undefined) return verify(digest, data, key.key, bytes);
    // ECDSA: the bytes hold mpint r and mpint s; node takes them as fixed-width r||s.
    const rs = new SshReader(bytes);
    const [rr, ss] = [unsigned(rs.string()), unsigned(rs.string())];
    if (!rs.done() || rr.length > key.coordinate || ss.length > key.coordinate) return false;
    const p1363 = Buffer.concat([pad(rr, key.coordinate), pad(ss, key.coordinate)]);
    return verify(digest, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, p1363);
  } catch {
    return false;
  }
}

/** An mpint without its sign byte. */
function unsigned(mpint: Buffer): Buffer {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return mpint.subarray(i);
}

function pad(b: Buffer, size: number): Buffer {
  return b.length === size ? b : Buffer.concat([Buffer.alloc(size - b.length), b]);
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** SSH wire format (RFC 4251): uint32 and length-prefixed strings, never reading past the end. */
class SshReader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  uint32(): number {
    if (this.at + 4 > this.buffer.length) throw new Error('the signature is truncated');
    const v = this.buffer.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.at + n > this.buffer.length) throw new Error('the signature is truncated');
    const b = this.buffer.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
  done(): boolean {
    return this.at === this.buffer.length;
  }
}
