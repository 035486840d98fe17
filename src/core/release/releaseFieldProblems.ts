import { isSha256Hex } from './contentHash';
import type { ReleaseField } from './releaseRecordSchema';
import { isoTimeProblem, keyIdProblem, repoPathProblem, signatureProblem } from './yamlFields';

/**
 * What a valid value of a release field is, beyond being a non-empty string (or a list of
 * them): a complaint for a wrong one, else undefined. Both lock readers ask this.
 */
export const RELEASE_FIELD_PROBLEMS: { readonly [F in ReleaseField]?: (value: string) => string | undefined } = {
  path: repoPathProblem,
  sha256: (v) => (isSha256Hex(v) ? undefined : 'expected the sha256 of the file as 64 lowercase hex digits'),
  publishedAt: isoTimeProblem,
  keyId: keyIdProblem,
  evaluation: (v) =>
    isSha256Hex(v) ? undefined : 'expected the digest of the evaluation run as 64 lowercase hex digits',
  signature: signatureProblem,
};
