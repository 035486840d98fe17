import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface InvalidCase {
  name: string;
  text: string;
  /** Every diagnostic, formatted `file:line:col field: message`, in order. */
  expected: string[];
  /**
   * Whether the JSON Schema alone rejects the data (shape problems), as opposed to
   * problems only the semantic checks see; undefined where the YAML itself is broken.
   */
  structural?: boolean;
}

const F = '.promptops/access.yaml';

/** Small cases inline; the bigger ones live in test/fixtures/access-invalid (name.yaml + name.expected.txt). */
export const INLINE_INVALID_CASES: InvalidCase[] = [
  {
    name: 'unknown role in members, with a suggestion, pointing at the role',
    text: 'version: 1\nroles:\n  reviewer: { extends: viewer }\nworkspaces:\n  support:\n    members:\n      bob: reviwer\n',
    expected: [`${F}:7:12 workspaces.support.members.bob: unknown role "reviwer" (did you mean "reviewer"?)`],
    structural: false,
  },
  {
    name: 'unknown role without a close match lists the roles',
    text: 'version: 1\napprovals: { required: 1, from: [qa] }\n',
    expected: [`${F}:2:34 approvals.from[0]: unknown role "qa" (roles: viewer, editor, admin)`],
    structural: false,
  },
  {
    name: 'unknown roles in edit, publish and env approvals',
    text: 'version: 1\nworkspaces:\n  s:\n    environments:\n      prod: { edit: [publsher], publish: [edtor], approvals: { required: 1, from: [admn] } }\n',
    expected: [
      `${F}:5:22 workspaces.s.environments.prod.edit[0]: unknown role "publsher" (roles: viewer, editor, admin)`,
      `${F}:5:43 workspaces.s.environments.prod.publish[0]: unknown role "edtor" (did you mean "editor"?)`,
      `${F}:5:84 workspaces.s.environments.prod.approvals.from[0]: unknown role "admn" (did you mean "admin"?)`,
    ],
    structural: false,
  },
  {
    name: 'role cycle of two',
    text: 'version: 1\nroles:\n  a: { extends: b }\n  b: { extends: a }\n',
    expected: [`${F}:3:17 roles.a.extends: role cycle: a → b → a`],
    structural: false,
  },
  {
    name: 'redefined built-in role',
    text: 'version: 1\nroles:\n  admin: { extends: editor, deny: [user.manage] }\n',
    expected: [
      `${F}:3:3 roles.admin: "admin" is a built-in role and cannot be redefined; give the custom role another name`,
    ],
    structural: false,
  },
  {
    name: 'unknown action with a suggestion',
    text: 'version: 1\nroles:\n  publisher: { extends: editor, allow: [prompt.pubish] }\n',
    expected: [`${F}:3:41 roles.publisher.allow[0]: unknown action "prompt.pubish" (did you mean "prompt.publish"?)`],
    structural: true,
  },
  {
    name: 'unknown top-level key with a suggestion',
    text: 'version: 1\nworkspace:\n  support: {}\n',
    expected: [`${F}:2:1 workspace: unknown field "workspace" (did you mean "workspaces"?)`],
    structural: true,
  },
  {
    name: 'unknown key without a close match lists the allowed keys',
    text: 'version: 1\nroles:\n  r: { extends: viewer, colour: blue }\n',
    expected: [`${F}:3:25 roles.r.colour: unknown field "colour" (allowed: extends, allow, deny, description)`],
    structural: true,
  },
  {
    name: 'members as a list',
    text: 'version: 1\nworkspaces:\n  support:\n    members: [alice]\n',
    expected: [`${F}:4:14 workspaces.support.members: must be a map of username to role, e.g. { alice: editor }`],
    structural: true,
  },
  {
    name: 'required as a string',
    text: 'version: 1\napprovals: { required: "2", from: [editor] }\n',
    expected: [`${F}:2:24 approvals.required: must be a whole number of at least 1`],
    structural: true,
  },
  {
    name: 'required of 0 and a fraction',
    text: 'version: 1\napprovals: { required: 0, from: [editor] }\nworkspaces:\n  s: { approvals: { required: 1.5, from: [editor] } }\n',
    expected: [
      `${F}:2:24 approvals.required: must be a whole number of at least 1`,
      `${F}:4:31 workspaces.s.approvals.required: must be a whole number of at least 1`,
    ],
    structural: true,
  },
  {
    name: 'approval rule without from',
    text: 'version: 1\napprovals:\n  required: 2\n',
    expected: [`${F}:3:3 approvals.from: required field "from" is missing`],
    structural: true,
  },
  {
    name: 'paths as a single string',
    text: 'version: 1\nworkspaces:\n  support:\n    paths: "prompts/**"\n',
    expected: [`${F}:4:12 workspaces.support.paths: must be a list of path globs, e.g. ["prompts/support/**"]`],
    structural: true,
  },
  {
    name: 'undeclared environment under a workspace, with a suggestion',
    text: 'version: 1\nenvironments: [dev, staging, prod]\nworkspaces:\n  support:\n    environments:\n      stagin: { publish: [editor] }\n',
    expected: [
      `${F}:6:7 workspaces.support.environments.stagin: unknown environment "stagin" (did you mean "staging"?)`,
    ],
    structural: false,
  },
  {
    name: 'environment not in the default list',
    text: 'version: 1\nworkspaces:\n  support:\n    environments:\n      qa: {}\n',
    expected: [
      `${F}:5:7 workspaces.support.environments.qa: unknown environment "qa"; declare it in the top-level "environments" (dev, test, prod)`,
    ],
    structural: false,
  },
  {
    name: 'duplicate environments, each reported',
    text: 'version: 1\nenvironments: [dev, prod, dev, prod]\n',
    expected: [
      `${F}:2:27 environments[2]: duplicate environment "dev" (already listed as environments[0])`,
      `${F}:2:32 environments[3]: duplicate environment "prod" (already listed as environments[1])`,
    ],
    structural: true,
  },
  {
    name: 'environment names must be lowercase identifiers',
    text: 'version: 1\nenvironments: [dev, Prod, "pre prod"]\n',
    expected: [
      `${F}:2:21 environments[1]: environment names are lowercase letters, digits, "-" and "_", starting with a letter`,
      `${F}:2:27 environments[2]: environment names are lowercase letters, digits, "-" and "_", starting with a letter`,
    ],
    structural: true,
  },
  {
    name: 'empty environments list',
    text: 'version: 1\nenvironments: []\n',
    expected: [`${F}:2:15 environments: must be a non-empty list of environment names, e.g. [dev, test, prod]`],
    structural: true,
  },
  {
    name: 'bad globs',
    text: 'version: 1\nworkspaces:\n  s:\n    paths: ["", "/etc/**", "C:/prompts/**", "prompts/../secrets/**", "./prompts/**", "prompts\\\\support\\\\**", "prompts/[ab/**"]\nprotected: ["prompts/{a,b/**"]\n',
    expected: [
      `${F}:4:13 workspaces.s.paths[0]: must not be empty`,
      `${F}:4:17 workspaces.s.paths[1]: must be relative to the repository root, not an absolute path`,
      `${F}:4:28 workspaces.s.paths[2]: must be relative to the repository root, not an absolute path`,
      `${F}:4:45 workspaces.s.paths[3]: must stay inside the repository (no ".." segments)`,
      `${F}:4:70 workspaces.s.paths[4]: must not contain "." segments; write "prompts/**"`,
      `${F}:4:86 workspaces.s.paths[5]: use "/" to separate folders, not "\\"`,
      `${F}:4:110 workspaces.s.paths[6]: is not a valid glob: "[" is never closed (write "\\[" to match a literal "[")`,
      `${F}:5:13 protected[0]: is not a valid glob: "{" is never closed (write "\\{" to match a literal "{")`,
    ],
    structural: false,
  },
  {
    name: 'missing version',
    text: 'workspaces: {}\n',
    expected: [`${F}:1:1 version: required field "version" is missing; add "version: 1"`],
    structural: true,
  },
  {
    name: 'wrong version',
    text: '# access\nversion: 2\n',
    expected: [`${F}:2:10 version: must be 1 (the only access file version)`],
    structural: true,
  },
  {
    name: 'version as a string',
    text: 'version: "1"\n',
    expected: [`${F}:1:10 version: must be 1 (the only access file version)`],
    structural: true,
  },
  {
    name: 'bad role, workspace and username names',
    text: 'version: 1\nroles:\n  Lead: { extends: editor }\nworkspaces:\n  "my space": { members: { "a b": viewer } }\n',
    expected: [
      `${F}:3:3 roles.Lead: role names are lowercase letters, digits, "-" and "_", starting with a letter`,
      `${F}:5:3 workspaces["my space"]: workspace names are letters, digits, ".", "-" and "_", starting with a letter`,
      `${F}:5:28 workspaces["my space"].members["a b"]: usernames cannot contain spaces`,
    ],
    structural: true,
  },
  {
    name: 'server that is not a URL',
    text: 'version: 1\nserver: localhost:4700\n',
    expected: [`${F}:2:9 server: must be an http:// or https:// URL`],
    structural: true,
  },
  {
    name: 'releaseBranch that is not a branch name',
    text: 'version: 1\nreleaseBranch: "main..prod"\n',
    expected: [
      `${F}:2:16 releaseBranch: must be a git branch name, e.g. main (no spaces, \`..\`, \`~\`, \`^\`, \`:\`, \`?\`, \`*\`, \`[\` or \`\\\`)`,
    ],
    structural: true,
  },
  {
    name: 'empty file',
    text: '',
    expected: [`${F}:1:1 the access file is empty; it needs at least "version: 1"`],
  },
  {
    name: 'only comments and blank lines',
    text: '# nothing yet\n\n',
    expected: [`${F}:1:1 the access file is empty; it needs at least "version: 1"`],
  },
  {
    name: 'a YAML list',
    text: '- version: 1\n- roles: {}\n',
    expected: [`${F}:1:1 the access file must be a map of settings starting with "version: 1", not a list`],
    structural: true,
  },
  {
    name: 'a single scalar',
    text: 'version 1\n',
    expected: [`${F}:1:1 the access file must be a map of settings starting with "version: 1", not text`],
    structural: true,
  },
  {
    name: 'duplicate top-level key',
    text: 'version: 1\nprotected: []\nprotected: ["x/**"]\n',
    expected: [`${F}:3:1 protected: Map keys must be unique`],
  },
  {
    name: 'unclosed flow sequence',
    text: 'version: 1\nprotected: ["prompts/**"\n',
    expected: [
      `${F}:3:1 protected[0]: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ],
  },
  {
    name: 'alias to an undefined anchor',
    text: 'version: 1\nprotected: [*shared]\n',
    expected: [`${F}:2:13 protected[0]: unknown alias "*shared": define the anchor "&shared" before using it`],
  },
  {
    name: 'a list, map or binary value as a key',
    text: 'version: 1\nroles:\n  ? [a, b]\n  : { extends: viewer }\nworkspaces: { { x: 1 }: {}, !!binary aGk=: {} }\n',
    expected: [
      `${F}:3:5 roles: map keys must be plain names, not lists, maps, aliases or binary values`,
      `${F}:5:15 workspaces: map keys must be plain names, not lists, maps, aliases or binary values`,
      `${F}:5:38 workspaces.hi: map keys must be plain names, not lists, maps, aliases or binary values`,
    ],
  },
  {
    name: 'CRLF line ends: same lines and columns as LF',
    text: 'version: 1\r\nroles:\r\n  r: { extends: viewr }\r\nworkspaces:\r\n  s: { members: { bo: reviwer } }\r\n',
    expected: [
      `${F}:3:17 roles.r.extends: unknown role "viewr" (did you mean "viewer"?)`,
      `${F}:5:23 workspaces.s.members.bo: unknown role "reviwer" (roles: viewer, editor, admin, r)`,
    ],
    structural: false,
  },
  {
    name: 'BOM: not a column',
    text: '\uFEFFversion: 1\nsevrer: http://x\n',
    expected: [`${F}:2:1 sevrer: unknown field "sevrer" (did you mean "server"?)`],
    structural: true,
  },
  {
    name: 'BOM with an error on the first line',
    text: '\uFEFFversion: 3\n',
    expected: [`${F}:1:10 version: must be 1 (the only access file version)`],
    structural: true,
  },
  {
    name: 'CRLF with a YAML error',
    text: 'version: 1\r\nversion: 1\r\n',
    expected: [`${F}:2:1 version: Map keys must be unique`],
  },
  {
    name: 'evaluations on an env approval rule: pass rate above 1 and a zero run count, located',
    text: 'version: 1\nworkspaces:\n  s:\n    environments:\n      prod:\n        approvals:\n          required: 1\n          from: [editor]\n          evaluations: { required: true, passRate: 1.5, runs: 0 }\n',
    expected: [
      `${F}:9:52 workspaces.s.environments.prod.approvals.evaluations.passRate: must be a number from 0 to 1, e.g. 1.0`,
      `${F}:9:63 workspaces.s.environments.prod.approvals.evaluations.runs: must be a whole number from 1 to 20`,
    ],
    structural: true,
  },
  {
    name: 'evaluations without required',
    text: 'version: 1\napprovals: { required: 1, from: [editor], evaluations: { runs: 2 } }\n',
    expected: [`${F}:2:56 approvals.evaluations.required: required field "required" is missing`],
    structural: true,
  },
];

const FIXTURES = join(__dirname, '../../fixtures/access-invalid');

/** test/fixtures/access-invalid/*.yaml with their .expected.txt; names starting `yaml-` are syntax errors. */
export function fixtureInvalidCases(): InvalidCase[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const base = f.slice(0, -'.yaml'.length);
      const expected = readFileSync(join(FIXTURES, `${base}.expected.txt`), 'utf8')
        .split('\n')
        .filter(Boolean);
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      return {
        name: `fixture ${f}`,
        text,
        expected,
        structural: base.startsWith('yaml-') ? undefined : STRUCTURAL_FIXTURES.has(base),
      };
    });
}

/** Fixtures whose data the schema alone already rejects. */
const STRUCTURAL_FIXTURES = new Set(['many-problems', 'wrong-types']);
