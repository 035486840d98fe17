// The one definition of the release record. Its TypeScript type (Static), the HTTP routes'
// JSON Schema, the DTO, the lock file's lines, the signed JSON and the release table's columns
// all follow from it.
import { Type, type Static } from '../schemaTypes';

/**
 * What the server signs when a reviewed prompt is published to an env. Property order is
 * the lock file's line order (.promptops/published.yaml); the signed JSON sorts the keys.
 * Appending a property changes what is signed: give it Optional, and a record without it
 * signs the very bytes it always did (as `evaluation` does).
 */
export const ReleaseRecordSchema = Type.Object(
  {
    path: Type.String({ description: 'Repo-relative path of the prompt file, forward slashes.' }),
    env: Type.String(),
    name: Type.String({ description: "The prompt's name (its own name field, else its file name)." }),
    workspace: Type.String(),
    sha256: Type.String({ description: "sha256 of the file's bytes, lowercase hex." }),
    reviewId: Type.String(),
    author: Type.String({ description: "Username of the change's author." }),
    approvers: Type.Array(Type.String(), {
      description: 'Usernames whose approvals counted, in the order they approved.',
    }),
    publisher: Type.String({ description: 'Username of whoever published.' }),
    publishedAt: Type.String({ description: 'ISO 8601 time of publishing.' }),
    keyId: Type.String({ description: 'Id of the signing key.' }),
    evaluation: Type.Optional(
      Type.String({
        description:
          "Digest (sha256 hex) of the server's evaluation run publishing needed, when the approval rule required one. Absent from older records, which sign without it.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** A release record with the server's Ed25519 signature (base64) over it. */
export const SignedReleaseSchema = Type.Object(
  {
    ...ReleaseRecordSchema.properties,
    signature: Type.String({ description: "The server's Ed25519 signature (base64) over the record." }),
  },
  { additionalProperties: false },
);

export type ReleaseRecord = Static<typeof ReleaseRecordSchema>;
export type SignedRelease = Static<typeof SignedReleaseSchema>;

export type ReleaseField = keyof SignedRelease;

/** One field of the signed release, as every reader and writer of it needs to know it. */
export interface ReleaseFieldShape {
  name: ReleaseField;
  /** A list of names (`approvers`); every other field is one string. */
  list: boolean;
  /** May be absent (`evaluation`); every other field is required. */
  optional: boolean;
}

/** The signed release's fields in the definition's order (the record's, then `signature`). */
export const SIGNED_RELEASE_FIELDS: readonly ReleaseFieldShape[] = fieldsOf(SignedReleaseSchema);

/** The record's fields alone (what is signed), in the definition's order. */
export const RELEASE_RECORD_FIELDS: readonly ReleaseFieldShape[] = fieldsOf(ReleaseRecordSchema);

function fieldsOf(schema: typeof ReleaseRecordSchema | typeof SignedReleaseSchema): ReleaseFieldShape[] {
  const required = new Set<string>(schema.required);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name: name as ReleaseField,
    list: (property as { type?: unknown }).type === 'array',
    optional: !required.has(name),
  }));
}

/** A copy holding only the record's fields (what is signed), lists copied. */
export function pickRecord(record: ReleaseRecord): ReleaseRecord {
  return pickFields(record, RELEASE_RECORD_FIELDS) as ReleaseRecord;
}

/** A copy holding only the signed release's fields: a row's id or a DTO's extras never ride along. */
export function pickSignedRelease(release: SignedRelease): SignedRelease {
  return pickFields(release, SIGNED_RELEASE_FIELDS) as SignedRelease;
}

function pickFields(value: ReleaseRecord, fields: readonly ReleaseFieldShape[]): Record<string, string | string[]> {
  const source = value as Partial<Record<ReleaseField, string | string[]>>;
  const picked: Record<string, string | string[]> = {};
  for (const { name } of fields) {
    const v = source[name];
    if (v !== undefined) picked[name] = Array.isArray(v) ? [...v] : v;
  }
  return picked;
}
