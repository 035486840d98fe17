import assert from 'node:assert/strict';
import { parseAccessFile, parseAccessFileInSteps } from '../../../src/core/access';
import { FULL_EXAMPLE, FULL_EXAMPLE_POLICY } from './examples';

/** Runs the steps to the end, counting the pauses (where the extension gives the event loop a turn). */
function stepped(text: string): { result: ReturnType<typeof parseAccessFile>; pauses: number } {
  const steps = parseAccessFileInSteps(text);
  for (let pauses = 0; ; pauses++) {
    const next = steps.next();
    if (next.done) return { result: next.value, pauses };
  }
}

describe('parseAccessFileInSteps (the extension’s first parse, with pauses)', () => {
  it('pauses within the YAML and between the checks, and gives the policy the file says', () => {
    const workspaces = Array.from(
      { length: 40 },
      (_, w) =>
        `  ws${w}:\n    paths: ["prompts/ws${w}/**"]\n    environments:\n      prod: { edit: [publisher], publish: [publisher] }\n`,
    ).join('');
    const text = `version: 1\nroles:\n  publisher: { extends: editor, allow: [review.approve, prompt.publish] }\nworkspaces:\n${workspaces}`;
    const { result, pauses } = stepped(text);
    assert.ok(pauses > 10, `paused ${pauses} times`);
    assert.deepEqual(result.diagnostics, []);
    const names = result.policy?.workspaces.map((w) => w.name) ?? [];
    assert.ok(names.includes('ws0') && names.includes('ws39'), names.join(', '));
    assert.deepEqual(stepped(FULL_EXAMPLE).result.policy, FULL_EXAMPLE_POLICY);
  });
});
