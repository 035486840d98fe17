import * as assert from 'node:assert/strict';
import { manifestProblems, readManifest } from '../../../scripts/checkCommands';

describe('package.json contributes', () => {
  it('declares exactly the registered commands, with category, ids, ordered menu groups and valid welcome links', () => {
    assert.deepEqual(manifestProblems(readManifest()), []);
  });

  it('activates lazily: on the access file, views, commands and the review panel only', () => {
    assert.deepEqual(readManifest().activationEvents, [
      'workspaceContains:.promptops/access.yaml',
      'onWebviewPanel:promptops.review',
    ]);
  });
});
