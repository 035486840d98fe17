import type { BuiltinRole } from '../src/core/policy/actions';

/** The sample team (see demo/sample-repo/README.md for their roles per workspace). */
export const DEMO_USERS: { username: string; password: string; role: BuiltinRole; story: string }[] = [
  {
    username: 'erin',
    password: 'erin-demo-pass',
    role: 'editor',
    story: 'drafter in support: edits dev prompts, asks for review',
  },
  {
    username: 'rita',
    password: 'rita-demo-pass',
    role: 'viewer',
    story: 'reviewer in support and marketing: approves, never edits',
  },
  {
    username: 'paul',
    password: 'paul-demo-pass',
    role: 'editor',
    story: 'publisher in support: edits prod, publishes',
  },
  { username: 'mia', password: 'mia-demo-pass', role: 'editor', story: 'editor in marketing' },
  {
    username: 'victor',
    password: 'victor-demo-pass',
    role: 'viewer',
    story: 'viewer: reads and runs, everything read-only',
  },
];
