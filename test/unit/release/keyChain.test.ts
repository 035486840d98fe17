import assert from 'node:assert/strict';
import {
  extendsChain,
  followKeyChain,
  parseKeyChain,
  serializeKeyChain,
  signKeyLink,
  type SignedKeyLink,
} from '../../../src/core/release/keyChain';
import { generateSigningKey, keyIdOf, type SigningKey } from '../../../src/core/release/signingKeys';

const at = (serial: number) => ({ serial, rotatedAt: `2026-0${serial}-01T00:00:00.000Z`, rotatedBy: 'root' });
const ids = (keys: { export: unknown }[]) => keys.map((k) => keyIdOf(k as never));

/** Keys k0 → k1 → k2, each link signed by both its keys. */
function chainOfThree(): { keys: SigningKey[]; links: SignedKeyLink[] } {
  const keys = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
  return { keys, links: [signKeyLink(at(1), keys[0], keys[1]), signKeyLink(at(2), keys[1], keys[2])] };
}

describe('key chain (.promptops/keys.yaml)', () => {
  it('round-trips through its file and follows from the first key to the last', () => {
    const { keys, links } = chainOfThree();
    const parsed = parseKeyChain(serializeKeyChain(links));
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(parsed.links, links);
    const followed = followKeyChain(keys[0].publicKey, parsed.links);
    assert.deepEqual(followed.problems, []);
    assert.deepEqual(
      ids(followed.keys),
      keys.map((k) => k.keyId),
    );
  });

  it('from a later key, accepts the earlier ones too (the new key signed each link it is part of)', () => {
    const { keys, links } = chainOfThree();
    assert.deepEqual(
      ids(followKeyChain(keys[2].publicKey, links).keys),
      keys.map((k) => k.keyId),
    );
  });

  it("refuses a link not signed by its predecessor (an attacker's own key), and every key after it", () => {
    const { keys, links } = chainOfThree();
    const attacker = generateSigningKey();
    const forged = signKeyLink(at(3), attacker, attacker);
    const grafted = { ...forged, previousKeyId: keys[2].keyId, previousPublicKey: links[1].publicKey };
    const followed = followKeyChain(keys[0].publicKey, [...links, grafted]);
    assert.deepEqual(
      ids(followed.keys),
      keys.map((k) => k.keyId),
    );
    assert.match(followed.problems[0].reason, /link 3 \(serial 3\) naming key \w+ is not signed by its predecessor/);
  });

  it('refuses a link the new key did not sign', () => {
    const { keys, links } = chainOfThree();
    const other = signKeyLink(at(2), keys[1], generateSigningKey());
    const half = { ...links[1], successorSignature: other.successorSignature };
    const followed = followKeyChain(keys[0].publicKey, [links[0], half]);
    assert.deepEqual(ids(followed.keys), [keys[0].keyId, keys[1].keyId]);
    assert.match(followed.problems[0].reason, /did not sign the link \(successorSignature\)/);
  });

  it('refuses a fork: two links with the same serial, or a link that does not start where the last one ended', () => {
    const { keys, links } = chainOfThree();
    const fork = signKeyLink(at(2), keys[1], generateSigningKey());
    const twice = followKeyChain(keys[0].publicKey, [links[0], links[1], fork]);
    assert.match(twice.problems[0].reason, /serials must run 1, 2, 3/);
    assert.equal(twice.keys.length, 3);
    const sideways = signKeyLink(at(3), keys[1], generateSigningKey());
    const branched = followKeyChain(keys[0].publicKey, [...links, sideways]);
    assert.match(branched.problems[0].reason, /a forked chain vouches for no key after the fork/);
    assert.equal(branched.keys.length, 3);
  });

  it('a chain the trusted key is not part of vouches for nothing', () => {
    const { links } = chainOfThree();
    const stranger = generateSigningKey();
    const followed = followKeyChain(stranger.publicKey, links);
    assert.deepEqual(ids(followed.keys), [stranger.keyId]);
    assert.match(followed.problems[0].reason, /no link names the trusted key/);
  });

  it('a chain only grows at its end', () => {
    const { keys, links } = chainOfThree();
    assert.equal(extendsChain([links[0]], links), true);
    assert.equal(extendsChain(links, [links[0]]), false);
    assert.equal(extendsChain([links[0]], [signKeyLink(at(1), keys[0], generateSigningKey())]), false);
  });

  it('names file, line and field for a malformed link', () => {
    const { links } = chainOfThree();
    const text = serializeKeyChain(links).replace(/serial: 2/, 'serial: two');
    const parsed = parseKeyChain(text);
    assert.equal(parsed.links, undefined);
    const d = parsed.diagnostics.find((x) => x.severity === 'error')!;
    assert.equal(d.file, '.promptops/keys.yaml');
    assert.equal(d.line, text.split('\n').findIndex((l) => l.includes('serial: two')) + 1);
    assert.match(d.message, /"serial" must be a whole number/);
  });
});
