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

/** The page a request asks for. Lists are newest first; a cursor is the id of the last row of the previous page. */
export interface RequestedPage {
  beforeId: number | undefined;
  size: number;
}

export function pageOf(query: { cursor?: string; limit?: string }): RequestedPage {
  const size = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
  if (size < 1 || size > MAX_PAGE_SIZE) throw invalidField('limit', `"limit" must be between 1 and ${MAX_PAGE_SIZE}.`);
  return { beforeId: query.cursor === undefined ? undefined : Number(query.cursor), size };
}

/** What to ask the store for: the page and one row past it, which says whether another page follows. */
export function storeBounds(page: RequestedPage): { beforeId: number | undefined; limit: number } {
  return { beforeId: page.beforeId, limit: page.size + 1 };
}

/**
 * The page's rows (at most its size, of those read with storeBounds) and the cursor for the
 * next page: null when no row followed, so a full last page does not lead to an empty one.
 */
export function cutPage<T>(
  rows: readonly T[],
  page: RequestedPage,
  idOf: (row: T) => string | number,
): { rows: readonly T[]; nextCursor: string | null } {
  if (rows.length <= page.size) return { rows, nextCursor: null };
  const kept = rows.slice(0, page.size);
  return { rows: kept, nextCursor: String(idOf(kept[kept.length - 1])) };
}

/** An ISO 8601 query time as epoch ms; 422 naming the field when it is not one. */
export function timeParam(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidField(field, `"${field}" must be an ISO 8601 time like 2025-01-31T12:00:00Z.`);
  return ms;
}
