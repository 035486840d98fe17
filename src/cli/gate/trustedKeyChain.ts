import type { KeyObject } from 'node:crypto';
import { formatDiagnostic } from '../../core/diagnostics';
import {
  extendsChain,
  followKeyChain,
  KEY_CHAIN_PATH,
  parseKeyChain,
  type KeyChainProblem,
  type SignedKeyLink,
} from '../../core/release/keyChain';

/**
 * The server keys a verify run trusts: the anchor (from --public-key or the base's access
 * file) and every key `.promptops/keys.yaml` joins to it by links both keys signed. The
 * chain judged is HEAD's, and with a base it may only grow the base's chain at its end: a
 * rewritten or shortened chain (a fork) is refused and the base's chain is followed instead.
 * A key that no signed link joins to the anchor is never trusted, whoever committed it.
 */
export function trustedChainKeys(
  anchor: KeyObject,
  baseText: string | undefined,
  headText: string | undefined,
  judgingRange: boolean,
): { keys: KeyObject[]; problems: KeyChainProblem[] } {
  const problems: KeyChainProblem[] = [];
  const read = (text: string | undefined, at: string): SignedKeyLink[] | undefined => {
    if (text === undefined) return [];
    const parsed = parseKeyChain(text);
    for (const d of parsed.diagnostics.filter((x) => x.severity === 'error'))
      problems.push({ file: `${d.file}:${d.line}:${d.column}${at}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') });
    return parsed.links;
  };
  const head = read(headText, '');
  if (!judgingRange || baseText === headText) {
    const followed = followKeyChain(anchor, head ?? []);
    return { keys: followed.keys, problems: [...problems, ...followed.problems] };
  }
  const base = read(baseText, ' at the base') ?? [];
  let links = head ?? base;
  if (head && !extendsChain(base, head)) {
    problems.push({
      file: KEY_CHAIN_PATH,
      reason:
        headText === undefined
          ? 'was removed in this range: the chain of server keys only grows (rotations add links at its end)'
          : `rewrites the base's chain (${base.length} link${base.length === 1 ? '' : 's'}) instead of adding links at its end: a forked chain is refused, and the base's chain is followed`,
    });
    links = base;
  }
  const followed = followKeyChain(anchor, links);
  return { keys: followed.keys, problems: [...problems, ...followed.problems] };
}
