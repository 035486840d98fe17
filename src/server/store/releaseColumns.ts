import { SIGNED_RELEASE_FIELDS, type ReleaseField, type SignedRelease } from '../../core/release/releaseRecordSchema';

/**
 * The release table's record columns, from the record's one definition: each field's name
 * in snake case, in the definition's order. The same columns and types in both dialects (a
 * list is JSON text, an absent optional field NULL); migrations still create them, in SQL.
 */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

export type ReleaseColumn = SnakeCase<ReleaseField>;

/** A row's record columns as both drivers return them (`review_id` is the reviews table's integer id). */
export type ReleaseRecordColumns = {
  [F in ReleaseField as SnakeCase<F>]: F extends 'reviewId'
    ? number | string
    : SignedRelease[F] extends readonly string[]
      ? string
      : undefined extends SignedRelease[F]
        ? string | null
        : string;
};

const COLUMN_FIELDS = SIGNED_RELEASE_FIELDS.map((field) => ({
  ...field,
  column: field.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as ReleaseColumn,
}));

export const RELEASE_COLUMNS: readonly ReleaseColumn[] = COLUMN_FIELDS.map((f) => f.column);

/** The values for RELEASE_COLUMNS, in their order. */
export function releaseColumnValues(release: SignedRelease): (string | null)[] {
  const values = release as Partial<Record<ReleaseField, string | string[]>>;
  return COLUMN_FIELDS.map(({ name }) => {
    const value = values[name];
    return value === undefined ? null : Array.isArray(value) ? JSON.stringify(value) : value;
  });
}

/** The signed release a row holds; an optional field stored NULL (or empty) is absent. */
export function releaseFromColumns(row: ReleaseRecordColumns): SignedRelease {
  const columns = row as unknown as Record<ReleaseColumn, string | number | null>;
  const release: Partial<Record<ReleaseField, string | string[]>> = {};
  for (const { name, column, list, optional } of COLUMN_FIELDS) {
    const value = columns[column];
    if (optional && (value === null || value === '')) continue;
    release[name] = list ? (JSON.parse(String(value)) as string[]) : String(value);
  }
  return release as SignedRelease;
}
