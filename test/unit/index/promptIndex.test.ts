import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import { PromptIndex } from '../../../src/core/index/promptIndex';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { cpuMs } from '../../support/cpuTime';

const ACCESS = `version: 1
roles:
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { carol: publisher }
    environments:
      prod: { edit: [publisher], publish: [publisher] }
  sales:
    paths: ["prompts/sales/**"]
protected: ["prompts/shared/**"]
`;

const humanloop = (env?: string, workspace?: string) =>
  `---\nmodel: gpt-4o\n${env ? `env: ${env}\n` : ''}${workspace ? `workspace: ${workspace}\n` : ''}---\n<system>\n  You are helpful.\n</system>\n<user>\n  {{question}}\n</user>\n`;

function repo(extra: Record<string, string> = {}): MemoryFileSystem {
  return new MemoryFileSystem({
    '.promptops/access.yaml': ACCESS,
    'prompts/support/greet.prompt': humanloop('prod'),
    'prompts/support/dev.prompt.yml':
      'name: Dev\nmodel: openai/gpt-4o\nmessages:\n  - role: user\n    content: "Hi {{name}}"\n',
    'prompts/sales/pitch.prompty': '---\nname: Pitch\nenv: test\n---\nsystem:\nSell.\nuser:\n{{product}}\n',
    'prompts/shared/tone.prompt.md': '---\ndescription: tone\n---\nBe kind.\n',
    'prompts/moved.prompt': humanloop('dev'),
    'notes/readme.md': '# not a prompt\n',
    '.git/config': '[core]\n',
    '.git/x.prompt': humanloop(),
    ...extra,
  });
}

describe('PromptIndex', () => {
  it('a workspace deleted on the server grants nothing and its prompts fall to default, as the server decides', async () => {
    const index = await PromptIndex.build(repo({ 'prompts/support/named.prompt': humanloop('prod', 'support') }));
    const carol = { username: 'carol', role: 'viewer' } as const;
    assert.equal(index.decide(carol, 'prompt.publish', 'prompts/support/greet.prompt').allowed, true);

    const before = index.revision;
    index.setDeletedWorkspaces(['Support']);
    assert.ok(index.revision > before, 'views re-read what changed');
    assert.equal(index.get('prompts/support/greet.prompt')?.workspace, 'default');
    const decision = index.decide(carol, 'prompt.publish', 'prompts/support/greet.prompt');
    assert.equal(decision.allowed, false, 'her binding in the deleted workspace is gone');
    assert.ok(!index.policy.workspaces.some((w) => w.name === 'support'));
    assert.ok(
      index.declaredPolicy.workspaces.some((w) => w.name === 'support'),
      'the file as written, for the warning',
    );
    assert.deepEqual(index.diagnosticsOf('prompts/support/named.prompt').map(formatDiagnostic), [
      'prompts/support/named.prompt:4:12 workspace: warning: workspace "support" was deleted on the server: the prompt is placed by its path, in "default", until an admin re-creates it',
    ]);

    index.setDeletedWorkspaces([]);
    assert.equal(index.get('prompts/support/greet.prompt')?.workspace, 'support', 're-created: it decides again');
    assert.equal(index.decide(carol, 'prompt.publish', 'prompts/support/greet.prompt').allowed, true);
    assert.deepEqual(index.diagnosticsOf('prompts/support/named.prompt'), []);
  });

  it('finds every prompt file and places each in its workspace and env', async () => {
    const index = await PromptIndex.build(repo());
    const placed = [...index.all()].map((p) => [p.path, p.format, p.workspace, p.env, p.protected]).sort();
    assert.deepEqual(placed, [
      ['prompts/moved.prompt', 'humanloop', 'default', 'dev', false],
      ['prompts/sales/pitch.prompty', 'prompty', 'sales', 'test', false],
      ['prompts/shared/tone.prompt.md', 'vscode-prompt-md', 'default', 'dev', true],
      ['prompts/support/dev.prompt.yml', 'github-models', 'support', 'dev', false],
      ['prompts/support/greet.prompt', 'humanloop', 'support', 'prod', false],
    ]);
    assert.deepEqual(index.diagnostics(), []);
  });

  it('fails the build with the error of a folder it cannot list, even while it is still in an earlier folder', async () => {
    const fs = repo({ 'prompts/support/deep/more/x.prompt': humanloop() });
    const readDir = fs.readDir.bind(fs);
    // prompts/sales is listed with its sibling prompts/support, and fails while support's subfolders are walked.
    fs.readDir = (path) =>
      path === 'prompts/sales' ? Promise.reject(new Error('EACCES: prompts/sales')) : readDir(path);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await assert.rejects(PromptIndex.build(fs), /EACCES: prompts\/sales/);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('honours .gitignore files at every level, including re-inclusion', async () => {
    const index = await PromptIndex.build(
      repo({
        '.gitignore': 'build/\n*.draft.prompt\n',
        'build/out.prompt': humanloop(),
        'prompts/a.draft.prompt': humanloop(),
        'prompts/sales/.gitignore': '!keep.draft.prompt\nlocal/\n',
        'prompts/sales/keep.draft.prompt': humanloop(),
        'prompts/sales/local/x.prompt': humanloop(),
      }),
    );
    const paths = [...index.all()].map((p) => p.path);
    assert.ok(!paths.includes('build/out.prompt'));
    assert.ok(!paths.includes('prompts/a.draft.prompt'));
    assert.ok(!paths.includes('prompts/sales/local/x.prompt'));
    assert.ok(paths.includes('prompts/sales/keep.draft.prompt'));
    assert.ok(!paths.some((p) => p.startsWith('.git/')));
  });

  it('says what a user may do with each prompt, and why', async () => {
    const index = await PromptIndex.build(repo());
    const bob = { username: 'bob', role: 'editor' as const };
    const carol = { username: 'carol', role: 'editor' as const };
    const p = index.permissions(bob, 'prompts/support/greet.prompt');
    assert.equal(p['prompt.read'].allowed, true);
    assert.equal(p['prompt.edit'].allowed, false);
    assert.equal(
      p['prompt.edit'].reason,
      'Read-only: prod prompts in `support` need the `publisher` role; you are `editor`.',
    );
    assert.equal(index.permissions(carol, 'prompts/support/greet.prompt')['prompt.publish'].allowed, true);
    assert.equal(index.decide(bob, 'prompt.edit', 'prompts/shared/tone.prompt.md').rule, 'protected-path');
    assert.equal(index.decide(bob, 'prompt.edit', '.promptops/access.yaml').rule, 'protected-path');
  });

  it('reports an undeclared env or unknown workspace at the field, with file and line', async () => {
    const index = await PromptIndex.build(repo({ 'prompts/support/bad.prompt': humanloop('staging', 'nowhere') }));
    assert.deepEqual(index.diagnostics().map(formatDiagnostic), [
      'prompts/support/bad.prompt:3:6 env: unknown environment "staging"; the access file declares "dev", "test", "prod"',
      'prompts/support/bad.prompt:4:12 workspace: unknown workspace "nowhere"; the access file has "support", "sales", "default" (the prompt is placed by its path until this is fixed)',
    ]);
    assert.equal(index.get('prompts/support/bad.prompt')!.workspace, 'support');
  });

  it('places a prompt by its path: a workspace field naming a workspace that does not cover it is an error at the field', async () => {
    const index = await PromptIndex.build(repo({ 'prompts/support/moved.prompt': humanloop('dev', 'sales') }));
    assert.deepEqual(index.diagnostics().map(formatDiagnostic), [
      'prompts/support/moved.prompt:4:12 workspace: workspace "sales" does not cover this file (its paths: "prompts/sales/**"); the path places it in "support": move the file, or name a workspace whose paths cover it',
    ]);
    assert.equal(index.get('prompts/support/moved.prompt')!.workspace, 'support');
  });

  it('lists only the files with problems, handing back the same list until a file changes, and moves its revision on every change', async () => {
    const fs = repo({ 'prompts/support/bad.prompt': humanloop('staging') });
    const index = await PromptIndex.build(fs);
    const first = new Map(index.filesWithProblems());
    assert.deepEqual([...first.keys()], ['prompts/support/bad.prompt']);
    const revision = index.revision;

    fs.files.set('prompts/support/greet.prompt', humanloop('dev'));
    await index.update('prompts/support/greet.prompt');
    assert.ok(index.revision > revision, 'a re-read file moves the revision');
    assert.equal(
      new Map(index.filesWithProblems()).get('prompts/support/bad.prompt'),
      first.get('prompts/support/bad.prompt'),
    );

    fs.files.set('prompts/support/bad.prompt', humanloop('dev'));
    await index.update('prompts/support/bad.prompt');
    assert.deepEqual([...index.filesWithProblems()], [], 'a fixed file leaves the list');

    fs.files.set('.promptops/access.yaml', 'version: 1\nroles: { x: { extends: draftr } }\n');
    await index.update('.promptops/access.yaml');
    assert.deepEqual(
      [...index.filesWithProblems()].map(([path]) => path),
      ['.promptops/access.yaml'],
      'the access file comes first when it has problems',
    );
  });

  it('updates one file at a time without re-reading the others', async () => {
    const fs = repo();
    const index = await PromptIndex.build(fs);
    const readsBefore = fs.reads;
    fs.files.set('prompts/support/greet.prompt', humanloop('dev'));
    await index.update('prompts/support/greet.prompt');
    assert.equal(fs.reads - readsBefore, 1);
    assert.equal(index.get('prompts/support/greet.prompt')!.env, 'dev');
    assert.equal(
      index.decide({ username: 'bob', role: 'editor' }, 'prompt.edit', 'prompts/support/greet.prompt').allowed,
      true,
    );

    fs.files.set('prompts/sales/new.prompt', humanloop('prod'));
    await index.update('prompts/sales/new.prompt');
    assert.equal(index.get('prompts/sales/new.prompt')!.workspace, 'sales');

    fs.files.delete('prompts/sales/pitch.prompty');
    await index.update('prompts/sales/pitch.prompty');
    assert.equal(index.get('prompts/sales/pitch.prompty'), undefined);
  });

  it('re-places every prompt when the access file changes, and keeps the last good rules when it breaks', async () => {
    const fs = repo();
    const index = await PromptIndex.build(fs);
    fs.files.set('.promptops/access.yaml', ACCESS.replace('prompts/sales/**', 'prompts/**'));
    await index.update('.promptops/access.yaml');
    assert.equal(index.get('prompts/shared/tone.prompt.md')!.workspace, 'sales');

    fs.files.set('.promptops/access.yaml', `${ACCESS}\nroles: [oops\n`);
    await index.update('.promptops/access.yaml');
    assert.ok(index.diagnostics().some((d) => d.file === '.promptops/access.yaml' && d.severity === 'error'));
    assert.equal(index.get('prompts/shared/tone.prompt.md')!.workspace, 'sales', 'last good policy still applies');
    assert.equal(
      index.decide({ username: 'bob', role: 'editor' }, 'prompt.edit', 'prompts/support/greet.prompt').allowed,
      false,
    );
  });

  it('without an access file, every prompt is in default under the built-in roles', async () => {
    const fs = repo();
    fs.files.delete('.promptops/access.yaml');
    const index = await PromptIndex.build(fs);
    assert.equal(index.hasAccessFile, false);
    assert.ok([...index.all()].every((p) => p.workspace === 'default'));
    assert.equal(
      index.decide({ username: 'v', role: 'viewer' }, 'prompt.edit', 'prompts/support/greet.prompt').allowed,
      false,
    );
    assert.equal(
      index.decide({ username: 'e', role: 'editor' }, 'prompt.edit', 'prompts/support/greet.prompt').allowed,
      true,
    );
  });
});

describe('PromptIndex diagnostics order', () => {
  it('lists a file’s problems in line order, whatever order the checks found them in', async () => {
    const fs = new MemoryFileSystem({
      'a.prompt': '---\nmodel: gpt-4o\nenv: [prod]\n---\n<system>\n  hi\n</system>\n<usr>\n  {{q}}\n</usr>\n',
    });
    const index = await PromptIndex.build(fs);
    assert.deepEqual(
      index.diagnostics().map((d) => [d.line, d.field]),
      [
        [3, 'env'],
        [8, 'messages[1]'],
      ],
    );
  });
});

describe('PromptIndex on a large repository', () => {
  it('lets the event loop run while it parses, so an editor stays responsive', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`prompts/p${i}.prompt`] = humanloop(i % 2 ? 'dev' : 'prod');
    let ticks = 0;
    let longest = 0;
    let last = cpuMs();
    const timer = setInterval(() => {
      // CPU time between turns: a wait for a core on a loaded machine is not a turn held by the build.
      const now = cpuMs();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 1);
    try {
      const index = await PromptIndex.build(new MemoryFileSystem(files));
      assert.equal(index.size, 3000);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 3, `timers ran ${ticks} times during the build`);
    assert.ok(longest < 200, `longest turn between timers ${longest.toFixed(0)} ms of CPU`);
  });
});

describe('PromptIndex diagnostics for unsaved text', () => {
  it('checks an edited access file with the same parser, the did-you-mean as data', async () => {
    const index = await PromptIndex.build(repo());
    const edited = ACCESS.replace('carol: publisher', 'carol: publishr');
    const found = index.diagnosticsForText('.promptops/access.yaml', edited);
    assert.deepEqual(found.map(formatDiagnostic), [
      '.promptops/access.yaml:7:23 workspaces.support.members.carol: unknown role "publishr" (did you mean "publisher"?)',
    ]);
    assert.deepEqual(found[0].suggestion, { replace: 'publishr', with: 'publisher' });
    assert.deepEqual(index.diagnostics(), [], 'the index itself is unchanged');
  });

  it('checks an edited prompt against the current access file, as the index would once saved', async () => {
    const index = await PromptIndex.build(repo());
    const found = index.diagnosticsForText('prompts/support/greet.prompt', humanloop('staging'));
    assert.deepEqual(found.map(formatDiagnostic), [
      'prompts/support/greet.prompt:3:6 env: unknown environment "staging"; the access file declares "dev", "test", "prod"',
    ]);
    assert.deepEqual(index.diagnosticsForText('notes/readme.md', 'anything'), []);
  });
});
