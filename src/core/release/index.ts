export { canonicalJson, type CanonicalValue } from './canonicalJson';
export { contentSha256, isSha256Hex } from './contentHash';
export { signedPayload } from './domainSignature';
export {
  exportPrivateKeyPem,
  exportPublicKeyBase64,
  exportPublicKeyPem,
  generateSigningKey,
  importPrivateKeyPem,
  importPublicKey,
  keyIdOf,
  publicKeyOf,
  type SigningKey,
} from './signingKeys';
export {
  pickRecord,
  RELEASE_RECORD_FIELDS,
  RELEASE_SIGNATURE_DOMAIN,
  releasePayload,
  releaseRecordValue,
  signRelease,
  verifyReleaseSignature,
  type ReleaseRecord,
  type SignedRelease,
} from './releaseRecord';
export {
  trustedKeys,
  verifyLockEntries,
  verifyLockEntry,
  type LockEntryProblem,
  type LockEntryVerdict,
  type TrustedKeys,
} from './lockEntryVerdict';
export {
  findRelease,
  parseReleaseLock,
  RELEASE_LOCK_PATH,
  serializeReleaseLock,
  sortReleases,
  upsertRelease,
  type LockEntry,
  type ParsedReleaseLock,
} from './releaseLock';
export { mergeReleaseLocks, type LockConflict, type LockMerge } from './mergeReleaseLocks';
export { chooseReleaseBranch } from './releaseBranch';
export { planUpstreamSync, type LocalFileState, type SyncPlan, type UpstreamVerdict } from './upstreamSync';
export {
  DIRECTORY_SIGNATURE_DOMAIN,
  parseUserDirectory,
  serializeUserDirectory,
  signUserDirectory,
  USER_DIRECTORY_PATH,
  userByEmail,
  userBySigningKey,
  directorySigningKeys,
  userDirectoryValue,
  verifyUserDirectorySignature,
  type DirectoryUser,
  type ParsedUserDirectory,
  type SignedUserDirectory,
  type UserDirectory,
} from './userDirectory';
export { fingerprintOfKeyLine, parseSshSigningKey, sshFingerprint, type SshSigningKey } from './sshSigningKey';
export { checkSshSignature, parseSshSignature, type CommitSignature, type SignatureStatus } from './sshSignature';
export { commitSignature } from './commitSignature';
export { splitSignedCommit } from './signedCommit';
