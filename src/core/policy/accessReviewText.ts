import type { AccessReviewFlag, AccessReviewRow } from './accessReview';

/** What the review shows of one account (the API's user entry, structurally). */
export interface ReviewedAccountFacts {
  username: string;
  role: string;
  serviceAccount: boolean;
  lastSignInAt: string | null;
  apiKeys: readonly { name: string }[];
  rightsUsed: readonly { right: string; at: string }[];
}

/**
 * The wording of an access review, shared by `promptops access review` and the extension's
 * Access view so the two never say it differently.
 */
export function accountTitle(u: ReviewedAccountFacts): string {
  return `${u.username}${u.serviceAccount ? ' (service account)' : ''}`;
}

/** "org role editor", "last sign-in …", "API keys: a, b". */
export function accountFacts(u: ReviewedAccountFacts): string[] {
  return [
    `org role ${u.role}`,
    `last sign-in ${u.lastSignInAt ?? 'never'}`,
    u.apiKeys.length === 0 ? 'no API keys' : `API keys: ${u.apiKeys.map((k) => k.name).join(', ')}`,
  ];
}

/** "review.approve 2026-11-02, prompt.publish 2026-10-30", or that the window saw none. */
export function rightsUsedText(u: ReviewedAccountFacts, days: number): string {
  if (u.rightsUsed.length === 0) return `no audited right used in ${days} days`;
  return `last used: ${u.rightsUsed.map((r) => `${r.right} ${r.at.slice(0, 10)}`).join(', ')}`;
}

/** One user's role per workspace, each env as `dev: editor (bound)`, in row order. */
export function rolesByWorkspace(rows: readonly AccessReviewRow[], username: string): Map<string, string[]> {
  const byWorkspace = new Map<string, string[]>();
  for (const r of rows) {
    if (r.username !== username) continue;
    const cells = byWorkspace.get(r.workspace) ?? [];
    cells.push(`${r.env}: ${r.role}${r.source === 'member' ? ' (bound)' : ''}`);
    byWorkspace.set(r.workspace, cells);
  }
  return byWorkspace;
}

/** The flag and what to do about it, on two lines. */
export function flagText(f: AccessReviewFlag): string {
  return `${f.message}\n→ ${f.fix}`;
}

export function flagsHeading(count: number, days: number): string {
  return count === 0 ? `No flags (sign-in window ${days} days).` : `Flags (sign-in window ${days} days):`;
}
