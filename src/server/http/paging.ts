import { Type } from '../../core/schemaTypes';
import { invalidField } from './httpError';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Query schema fragment shared by every paged list (query values are strings: the server never coerces types). */
export const pagingQueryProperties = {
  cursor: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,15}$', description: 'The `nextCursor` of the previous page.' }),
  ),
  limit: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,4}$',
      description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
    }),
  ),
};

/** Lists are newest first; a cursor is the id of the last row of the previous page. */
export function pageOf(query: { cursor?: string; limit?: string }): { beforeId: number | undefined; limit: number } {
  const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
  if (limit < 1 || limit > MAX_PAGE_SIZE)
    throw invalidField('limit', `"limit" must be between 1 and ${MAX_PAGE_SIZE}.`);
  return { beforeId: query.cursor === undefined ? undefined : Number(query.cursor), limit };
}

/** The cursor for the page after `rows`, or null when this page was the last. */
export function nextCursor(rows: readonly { id: string | number }[], limit: number): string | null {
  return rows.length === limit && rows.length > 0 ? String(rows[rows.length - 1].id) : null;
}

/** An ISO 8601 query time as epoch ms; 422 naming the field when it is not one. */
export function timeParam(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidField(field, `"${field}" must be an ISO 8601 time like 2025-01-31T12:00:00Z.`);
  return ms;
}
