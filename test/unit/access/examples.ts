import type { AccessPolicy } from '../../../src/core/access';

/** A record with no prototype, as parseAccessFile builds name-keyed maps. */
export function dict<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** DESIGN.md section 3's example with every key the file supports. */
export const FULL_EXAMPLE = `version: 1
server: http://127.0.0.1:4700
publicKey: "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="
releaseBranch: main
environments: [dev, test, prod]
roles:
  reviewer:  { extends: viewer, allow: [review.approve], description: "Checks tone and policy" }
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
  member:    { extends: editor, deny: [prompt.publish] }
workspaces:
  support:
    description: "Customer support prompts"
    paths: ["prompts/support/**"]
    members: { alice: editor, bob: reviewer, carol: publisher }
    approvals: { required: 1, from: [reviewer] }
    environments:
      prod:
        edit: [publisher]
        publish: [publisher]
        approvals: { required: 2, from: [reviewer, publisher], selfApproval: false }
approvals: { required: 1, from: [editor], selfApproval: false }
protected: ["prompts/shared/**"]
`;

export const FULL_EXAMPLE_POLICY: AccessPolicy = {
  version: 1,
  server: 'http://127.0.0.1:4700',
  publicKey: 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=',
  releaseBranch: 'main',
  environments: ['dev', 'test', 'prod'],
  roles: dict({
    reviewer: {
      name: 'reviewer',
      extends: 'viewer',
      allow: ['review.approve'],
      deny: [],
      description: 'Checks tone and policy',
    },
    publisher: { name: 'publisher', extends: 'editor', allow: ['review.approve', 'prompt.publish'], deny: [] },
    member: { name: 'member', extends: 'editor', allow: [], deny: ['prompt.publish'] },
  }),
  workspaces: [
    {
      name: 'support',
      description: 'Customer support prompts',
      paths: ['prompts/support/**'],
      members: dict({ alice: 'editor', bob: 'reviewer', carol: 'publisher' }),
      approvals: { required: 1, from: ['reviewer'], selfApproval: false },
      environments: dict({
        prod: {
          edit: ['publisher'],
          publish: ['publisher'],
          approvals: { required: 2, from: ['reviewer', 'publisher'], selfApproval: false },
        },
      }),
    },
    { name: 'default', paths: [], members: dict({}), environments: dict({}) },
  ],
  approvals: { required: 1, from: ['editor'], selfApproval: false },
  protected: ['prompts/shared/**'],
};

/** Files the parser accepts, for the schema agreement test and the fuzzers' mutations. */
export const VALID_EXAMPLES: Record<string, string> = {
  full: FULL_EXAMPLE,
  minimal: 'version: 1\n',
  declaredDefault: `version: 1
environments: [development, production]
workspaces:
  billing: { paths: ["prompts/billing/**"] }
  default:
    paths: ["prompts/**"]
    members: { dana: admin }
    environments:
      production: { publish: [admin] }
  marketing: {}
protected: [".promptops/**", "prompts/legal/**"]
`,
  chainedRoles: `version: 1
roles:
  lead:   { extends: senior, allow: [workspace.delete] }
  senior: { extends: editor }
  auditor: { extends: admin, deny: [user.manage, policy.apply] }
workspaces:
  ops:
    members: { "erin@example.com": lead, constructor: auditor }
approvals: { required: 3, from: [senior], selfApproval: true }
`,
};
