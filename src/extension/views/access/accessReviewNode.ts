import type { AccessReviewResponse } from '../../../shared/api/accessReview';
import {
  accountFacts,
  accountTitle,
  flagsHeading,
  flagText,
  rightsUsedText,
  rolesByWorkspace,
} from '../../../core/policy/accessReviewText';
import { InfoNode } from './infoNode';

const WARNING = 'problemsWarningIcon.foreground';

/**
 * The access review in the Access view (admins): per account its facts, its role per
 * workspace × env and its flags, each saying what to do; worded as `promptops access review`.
 */
export function accessReviewNode(review: AccessReviewResponse): InfoNode {
  const flagNode = (f: AccessReviewResponse['flags'][number], i: number) =>
    new InfoNode({
      id: `access:review:flag:${f.username}:${i}`,
      label: f.message,
      description: f.fix,
      tooltip: flagText(f),
      icon: 'warning',
      iconColor: WARNING,
      contextValue: `accessReviewFlag ${f.kind}`,
    });
  const flags = review.flags.map((f, i) => ({ f, node: flagNode(f, i) }));
  const accounts = review.users.map((u) => {
    const mine = flags.filter((x) => x.f.username === u.username).map((x) => x.node);
    const roles = [...rolesByWorkspace(review.rows, u.username)].map(
      ([ws, cells]) =>
        new InfoNode({
          id: `access:review:${u.username}:${ws}`,
          label: ws,
          description: cells.join(' · '),
          icon: 'organization',
        }),
    );
    return new InfoNode({
      id: `access:review:${u.username}`,
      label: accountTitle(u),
      description: accountFacts(u).join(' · '),
      icon: mine.length > 0 ? 'warning' : 'account',
      iconColor: mine.length > 0 ? WARNING : undefined,
      contextValue: 'accessReviewUser',
      collapsed: true,
      children: [
        new InfoNode({
          id: `access:review:${u.username}:rights`,
          label: 'Rights used',
          description: rightsUsedText(u, review.days),
          icon: 'history',
        }),
        ...roles,
        ...mine,
      ],
    });
  });
  // People the access file binds who have no account: only flags.
  const known = new Set(review.users.map((u) => u.username));
  const strangers = flags.filter((x) => !known.has(x.f.username)).map((x) => x.node);
  return new InfoNode({
    id: 'access:review',
    label: 'Access review',
    description: `${review.users.length} accounts · ${flagsHeading(review.flags.length, review.days).replace(/:$/, '')}`,
    tooltip: `Generated ${review.generatedAt}; access file version ${review.policyVersion ?? 'none applied'}.`,
    icon: 'checklist',
    contextValue: 'accessReview',
    collapsed: true,
    children: [...accounts, ...strangers],
  });
}
