import type { BuiltinRole } from '../policy/actions';

/** A change to one user as the last-admin rule sees it. */
export interface AdminChange {
  /** The user's role before the change. */
  role: BuiltinRole;
  /** The role after it; undefined when the user is removed. */
  nextRole: BuiltinRole | undefined;
  /** Admins before the change, counted in the transaction that makes it. */
  admins: number;
}

/**
 * The server keeps at least one admin, or nobody could manage users again: demoting or
 * removing the only admin is refused. The store counts admins and applies the change in
 * one transaction under one lock, so two admins cannot demote each other at once.
 */
export function keepsAnAdmin(change: AdminChange): boolean {
  return change.role !== 'admin' || change.nextRole === 'admin' || change.admins > 1;
}
