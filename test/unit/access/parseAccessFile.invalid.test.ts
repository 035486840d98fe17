import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import { parseAccessFile, MAX_ACCESS_FILE_LENGTH } from '../../../src/core/access';
import { FULL_EXAMPLE } from './examples';
import { fixtureInvalidCases, INLINE_INVALID_CASES } from './invalidCases';
import { withCpuMs } from '../../support/cpuTime';

function formatted(text: string): string[] {
  const { policy, diagnostics } = parseAccessFile(text);
  assert.equal(policy, undefined, 'no policy when there are errors');
  return diagnostics.map(formatDiagnostic);
}

describe('parseAccessFile: invalid files', () => {
  for (const c of [...INLINE_INVALID_CASES, ...fixtureInvalidCases()]) {
    it(c.name, () => {
      assert.deepEqual(formatted(c.text), c.expected);
    });
  }

  it('refuses a 5 MB file quickly with one diagnostic', () => {
    const line = '# ' + 'x'.repeat(98) + '\n';
    const text = 'version: 1\n' + line.repeat(Math.ceil((5 * 1024 * 1024) / line.length));
    const { result, ms } = withCpuMs(() => formatted(text));
    assert.deepEqual(result, ['.promptops/access.yaml:1:1 is too large (5.0 MB); an access file may be at most 1 MB']);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms of CPU`);
  });

  it('still parses a large (250 KB) file', function () {
    this.timeout(15_000); // yaml parses about 0.5 MB/s on a slow shared machine
    const workspace = (i: number) => `  ws${i}:\n    paths: ["prompts/ws${i}/**"]\n    members: { user${i}: editor }\n`;
    let body = '';
    for (let i = 0; FULL_EXAMPLE.length + body.length < 250 * 1024; i++) body += workspace(i);
    const text = FULL_EXAMPLE.replace('workspaces:\n', `workspaces:\n${body}`);
    assert.ok(text.length <= MAX_ACCESS_FILE_LENGTH);
    const { policy, diagnostics } = parseAccessFile(text);
    assert.deepEqual(diagnostics, []);
    assert.ok(policy && policy.workspaces.length > 2_000);
  });

  it('reports an alias bomb instead of expanding it', () => {
    const lines = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const out = formatted(lines.join('\n') + '\n');
    assert.equal(out.length, 1);
    assert.match(out[0], /^\.promptops\/access\.yaml:\d+:\d+ .*too many aliases/);
  });

  it('reports deep nesting without throwing', () => {
    const { policy, diagnostics } = parseAccessFile(
      'version: 1\nroles: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n',
    );
    assert.equal(policy, undefined);
    assert.ok(diagnostics.length >= 1);
  });
});
