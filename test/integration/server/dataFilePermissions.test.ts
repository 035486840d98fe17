import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, SQLITE_FILE_NAME } from '../../../src/server/store/openStore';

describe('SQLite data files', () => {
  it('are readable by their owner only: they hold password hashes, session hashes and the signing key', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'promptops-perms-')), 'data');
    const store = await openStore({ dataDir });
    try {
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dataDir, SQLITE_FILE_NAME)).mode & 0o777, 0o600);
    } finally {
      await store.close();
    }
  });
});
