import assert from 'node:assert/strict';
import { closestName, didYouMean, pathGlobProblem } from '../../../src/core/access';

describe('closestName', () => {
  it('suggests near misses and case slips, nothing for unrelated words', () => {
    assert.equal(closestName('reviwer', ['viewer', 'reviewer']), 'reviewer');
    assert.equal(closestName('Editor', ['viewer', 'editor']), 'editor');
    assert.equal(closestName('memebers', ['paths', 'members']), 'members');
    assert.equal(closestName('zzz', ['viewer', 'editor', 'admin']), undefined);
    assert.equal(closestName('x', []), undefined);
    assert.equal(didYouMean('prod', ['prod']), '');
  });
});

describe('pathGlobProblem', () => {
  it('accepts ordinary repo-relative globs', () => {
    for (const glob of [
      'prompts/**',
      '**/*.prompt',
      'prompts/{a,b}/**',
      'a/[bc]/*.yml',
      '.github/**',
      'prompts/\\*literal',
    ]) {
      assert.equal(pathGlobProblem(glob), undefined, glob);
    }
  });

  it('rejects globs that can never match a repo-relative path', () => {
    for (const glob of [
      '',
      '  ',
      '/abs',
      'C:\\x',
      '\\\\server\\share',
      'a/../b',
      '..',
      './a',
      'a/./b',
      'a\\b',
      'a/(b',
      'x'.repeat(70_000),
    ]) {
      assert.ok(pathGlobProblem(glob), JSON.stringify(glob.slice(0, 20)));
    }
  });
});
