// The one definition of the unpublish record: its TypeScript type, the unpublish route's
// JSON Schema, the fields it signs and the lines of .promptops/unpublished.yaml follow from it.
import { Type, type Static } from '../schemaTypes';

/**
 * What the server signs when it takes a prompt out of an env: the release it retires
 * (review, content and time, so the record can never retire a later publish of the same
 * path), who did it and when. Verify lets a lock entry disappear only with such a record.
 * Property order is the file's line order; the signed JSON sorts the keys.
 */
export const UnpublishRecordSchema = Type.Object(
  {
    path: Type.String(),
    env: Type.String(),
    name: Type.String({ description: "The retired release's name (so the loader can say what happened to it)." }),
    workspace: Type.String(),
    reviewId: Type.String({ description: "The retired release's review." }),
    sha256: Type.String({ description: "The retired release's sha256." }),
    publishedAt: Type.String({ description: "The retired release's publishedAt." }),
    unpublishedBy: Type.String(),
    unpublishedAt: Type.String({ description: "ISO 8601, always later than the retired release's publishedAt." }),
    keyId: Type.String(),
  },
  { additionalProperties: false },
);

export const SignedUnpublishSchema = Type.Object(
  { ...UnpublishRecordSchema.properties, signature: Type.String() },
  { additionalProperties: false },
);

export type UnpublishRecord = Static<typeof UnpublishRecordSchema>;
export type SignedUnpublish = Static<typeof SignedUnpublishSchema>;

/** The record's fields (what is signed), in the definition's order. */
export const UNPUBLISH_RECORD_FIELDS = Object.keys(UnpublishRecordSchema.properties) as (keyof UnpublishRecord)[];

/** The signed record's fields: the record's, then `signature`. */
export const SIGNED_UNPUBLISH_FIELDS = Object.keys(SignedUnpublishSchema.properties) as (keyof SignedUnpublish)[];
