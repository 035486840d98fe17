import { selectRows, type Plan } from './sqlPlan';
import type { Where } from './whereClause';

/**
 * One page of a list read newest first: the rows with ids below `beforeId` (the cursor,
 * the last id of the previous page), at most `limit` of them. The next cursor follows the
 * rows read (src/server/http/paging.ts).
 */
export interface PageBounds {
  beforeId?: number;
  limit: number;
}

/** `select` (`SELECT … FROM table`) narrowed by `where`, to the page; adds the cursor's condition to `where`. */
export function pagedQuery(select: string, where: Where, page: PageBounds): { sql: string; params: unknown[] } {
  where.add('id < ?', page.beforeId);
  return { sql: `${select} ${where.toString()} ORDER BY id DESC LIMIT ?`, params: [...where.params, page.limit] };
}

/** The rows of `pagedQuery`. */
export function* pagedSelect<R>(select: string, where: Where, page: PageBounds): Plan<R[]> {
  const { sql, params } = pagedQuery(select, where, page);
  return yield* selectRows<R>(sql, ...params);
}
