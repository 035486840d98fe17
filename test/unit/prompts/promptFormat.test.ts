import assert from 'node:assert/strict';
import { formatForPath, promptNameFromPath } from '../../../src/core/prompts';

describe('prompt formats from file names', () => {
  it('maps each prompt extension to its format', () => {
    assert.equal(formatForPath('a/b/support.prompt'), 'humanloop');
    assert.equal(formatForPath('x.prompt.yml'), 'github-models');
    assert.equal(formatForPath('x.prompt.yaml'), 'github-models');
    assert.equal(formatForPath('x.prompty'), 'prompty');
    assert.equal(formatForPath('C:\\repo\\x.prompt.md'), 'vscode-prompt-md');
    assert.equal(formatForPath('X.Prompt.MD'), 'vscode-prompt-md');
  });

  it('is undefined for other files', () => {
    for (const path of [
      'x.md',
      'x.yml',
      'sample_prompt.yml',
      'prompt',
      '.prompt',
      'x.prompt.txt',
      'dir.prompt/readme',
    ]) {
      assert.equal(formatForPath(path), undefined, path);
    }
  });

  it('names a prompt after its file without the prompt extension', () => {
    assert.equal(promptNameFromPath('a/b/support-triage.prompt'), 'support-triage');
    assert.equal(promptNameFromPath('a/summarize.prompt.yml'), 'summarize');
    assert.equal(promptNameFromPath('a\\plan.prompt.md'), 'plan');
    assert.equal(promptNameFromPath('basic.prompty'), 'basic');
    assert.equal(promptNameFromPath('examples/sample_prompt.yml'), 'sample_prompt');
  });
});
