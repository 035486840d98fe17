import { isMap, parseDocument, Scalar } from 'yaml';
import { ACCESS_FILE_PATH } from './accessPolicy';

/** The starter access file (the extension's Create Access File and `promptops init`). */
export const ACCESS_FILE_TEMPLATE = `# PromptOps access file: who may view, edit, approve and publish each prompt.
# Reference: docs/access-model.md. Protected: only admins may change .promptops/**.
version: 1
# server: http://127.0.0.1:4700
# releaseBranch: main                  # where \`promptops publish --push\` lands; default: the remote's default branch
environments: [dev, test, prod]
roles:
  reviewer:  { extends: viewer, allow: [review.approve] }
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
  default:
    paths: ["prompts/**"]
    members: {}
    environments:
      prod:
        edit: [publisher]
        publish: [publisher]
        approvals: { required: 1, from: [reviewer, publisher], selfApproval: false }
approvals: { required: 1, from: [editor], selfApproval: false }
# policyApprovals: { required: 1 }     # changes to this file need other admins' approval before \`promptops apply\`
protected: []
`;

export type PinOutcome =
  { kind: 'pinned'; text: string; added: ('server' | 'publicKey')[] } | { kind: 'refused'; message: string };

/**
 * The access file's text with `server` and `publicKey` set, comments and everything else
 * kept. A value already there that differs is never replaced: a changed key or server is an
 * admin's deliberate edit (verify trusts the pinned key), so the caller is told instead.
 */
export function pinServer(text: string, server: string, publicKey: string): PinOutcome {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents))
    return {
      kind: 'refused',
      message: `${ACCESS_FILE_PATH} is not a YAML map${doc.errors[0] ? ` (${doc.errors[0].message.split('\n')[0]})` : ''}; fix it first`,
    };
  const added: ('server' | 'publicKey')[] = [];
  for (const [field, value] of [
    ['server', server],
    ['publicKey', publicKey],
  ] as const) {
    const current: unknown = doc.get(field);
    if (current === undefined || current === null) {
      const scalar = new Scalar(value);
      if (field === 'publicKey') scalar.type = Scalar.QUOTE_DOUBLE;
      // Right after `version`, where people look for it.
      const at = doc.contents.items.findIndex((p) => String((p.key as Scalar | undefined)?.value) === 'version') + 1;
      doc.contents.items.splice(
        at + added.length,
        0,
        doc.createPair(field, scalar) as (typeof doc.contents.items)[number],
      );
      added.push(field);
    } else if (scalarText(current).trim() !== value.trim()) {
      const line = text.slice(0, text.search(new RegExp(`^${field}:`, 'm'))).split('\n').length;
      return {
        kind: 'refused',
        message:
          `${ACCESS_FILE_PATH}:${line} ${field}: is ${JSON.stringify(scalarText(current)).slice(0, 60)}, not this server's ${JSON.stringify(value).slice(0, 60)}; ` +
          'nothing was changed. If the server really changed, edit the field yourself (verify trusts the pinned key).',
      };
    }
  }
  return { kind: 'pinned', text: added.length === 0 ? text : doc.toString({ lineWidth: 0 }), added };
}

/** Patterns `.gitattributes` needs so prompt files and the signed files keep their exact bytes (hashes) on every platform. */
export function gitattributesLines(promptExtensions: readonly string[]): string[] {
  return [...promptExtensions.map((ext) => `*${ext} -text`), '.promptops/*.yaml -text'];
}

/** `.gitattributes` with every line of `wanted` present (missing ones appended under a comment); undefined when complete. */
export function withGitattributes(existing: string | undefined, wanted: readonly string[]): string | undefined {
  const have = new Set((existing ?? '').split(/\r?\n/).map((l) => l.trim().replace(/\s+/g, ' ')));
  const missing = wanted.filter((l) => !have.has(l));
  if (missing.length === 0) return undefined;
  const before =
    existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? `${existing}\n` : `${existing}\n\n`;
  return `${before}# PromptOps: prompt files and signed files keep their exact bytes (their sha256 is published), whatever core.autocrlf says.\n${missing.join('\n')}\n`;
}

/** A YAML value as the text a person would compare: scalars as written, anything else as JSON. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}
