import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

// The package's `Algorithm` is a const enum, which isolatedModules cannot read at run time.
const ARGON2ID = 2 as Algorithm.Argon2id;

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a crash.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for unknown usernames, so response time
 * does not tell an attacker which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await prepareDummyHash(), password);
  return false;
}

/** Computes the dummy hash ahead of time (at start), so even the first unknown-user login is not faster. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('promptops-dummy-password-for-timing');
  return dummyHash;
}
