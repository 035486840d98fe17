/** The fields one listing line shows (an AuditEntryDto has them all). */
export interface AuditLineFields {
  at: string;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  address: string | null;
  outcome: 'done' | 'refused';
  reason: string | null;
}

/** One audit entry as a line of text, for `promptops audit` and the extension's Audit Log. */
export function auditEntryLine(e: AuditLineFields): string {
  const target = e.targetId ? `${e.targetType} ${e.targetId}` : e.targetType;
  const refused = e.outcome === 'refused' ? `  REFUSED: ${e.reason ?? ''}` : '';
  return `${e.at}  ${(e.actor ?? '-').padEnd(16)} ${e.action.padEnd(24)} ${target}${e.address ? `  from ${e.address}` : ''}${refused}`;
}
