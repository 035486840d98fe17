import { createHash, timingSafeEqual } from 'node:crypto';

export const DEFAULT_STATIC_TOKEN = 'promptops-dev-token';

/**
 * `PROMPTOPS_TOKEN`: always an admin identity. Compared in constant time on sha256
 * digests, which have equal length whatever the input length.
 */
export class StaticToken {
  private readonly digest: Buffer;

  constructor(readonly value: string) {
    this.digest = sha256(value);
  }

  get isDefault(): boolean {
    return this.value === DEFAULT_STATIC_TOKEN;
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(this.digest, sha256(candidate));
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
