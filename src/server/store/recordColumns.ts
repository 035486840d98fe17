import type { Static, TSchema } from '../../core/schemaTypes';

/** An object schema as TypeBox builds it: its JSON Schema `properties`, in the definition's order. */
interface ObjectSchema extends TSchema {
  properties: Record<string, TSchema & { type?: string }>;
  required?: readonly string[];
}

/** A row as both drivers return it: columns by name. */
export type ColumnRow = Readonly<Record<string, unknown>>;

/**
 * A table's record columns from the record's one definition (a TypeBox object schema), for
 * the fields a row stores as they are: each field's name in snake case, in the definition's
 * order, held the same way in both dialects (a boolean as 0/1, a list or object as JSON
 * text, an absent optional field as NULL, a string field read back as text whatever the
 * column). Migrations still create the columns, in SQL.
 */
export interface RecordColumns<R> {
  /** The column names, in order: `INSERT INTO t (…${names})`. */
  readonly names: readonly string[];
  /** One `?` per column, for the VALUES list. */
  readonly placeholders: string;
  /** A record's values for `names`, in their order. */
  values(record: R): unknown[];
  /** The record's fields from a row holding `names`. */
  fromRow(row: ColumnRow): R;
}

/** `schema`'s fields but `except` (those the table keeps another way, e.g. a generated id). */
export function recordColumns<S extends ObjectSchema, K extends keyof Static<S> & string = never>(
  schema: S,
  except: readonly K[] = [],
): RecordColumns<Omit<Static<S>, K>> {
  const fields = Object.entries(schema.properties)
    .filter(([name]) => !(except as readonly string[]).includes(name))
    .map(([name, field]) => ({
      name,
      column: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      kind: field.type === 'array' || field.type === 'object' ? 'json' : field.type,
      optional: !(schema.required ?? []).includes(name),
    }));
  return {
    names: fields.map((f) => f.column),
    placeholders: fields.map(() => '?').join(', '),
    values: (record) => {
      const values = record as Record<string, unknown>;
      return fields.map(({ name, kind }) => {
        const value = values[name];
        if (value === undefined) return null;
        return kind === 'json' ? JSON.stringify(value) : kind === 'boolean' ? (value ? 1 : 0) : value;
      });
    },
    fromRow: (row) => {
      const record: Record<string, unknown> = {};
      for (const { name, column, kind, optional } of fields) {
        const value = row[column];
        // An optional field left out: NULL, or empty text as an older row may hold it.
        if (value === null || value === undefined || (optional && value === '')) continue;
        record[name] =
          kind === 'json'
            ? JSON.parse(value as string)
            : kind === 'boolean'
              ? value === 1 || value === true
              : kind === 'number' || kind === 'integer'
                ? Number(value)
                : // Text from an integer column too (a release's review_id).
                  typeof value === 'string'
                  ? value
                  : Number(value).toString();
      }
      return record as Omit<Static<S>, K>;
    },
  };
}
