import assert from 'node:assert/strict';
import { deletedWorkspaceDiagnostics, stillDeletedMessage } from '../../../src/core/access/deletedWorkspaceAdvice';
import { formatDiagnostic } from '../../../src/core/diagnostics';

const FILE = `version: 1
workspaces:
  support:
    paths: ["prompts/support/**"]
  team.eu:
    paths: ["prompts/eu/**"]
`;

describe('warnings for declared workspaces deleted on the server', () => {
  it('one warning at each deleted workspace’s key, with what to do; case-insensitive; default never', () => {
    const found = deletedWorkspaceDiagnostics(FILE, ['SUPPORT', 'team.eu', 'default', 'elsewhere']);
    assert.deepEqual(
      found.map((d) => `${d.line}:${d.column} ${d.field} ${d.severity}`),
      ['3:3 workspaces.support warning', '5:3 workspaces["team.eu"] warning'],
    );
    assert.match(
      formatDiagnostic(found[0]),
      /^\.promptops\/access\.yaml:3:3 workspaces\.support: warning: workspace `support` was deleted on the server: .*Remove it from the access file, or have an admin re-create it/,
    );
  });

  it('nothing deleted, or a file that does not parse as a map: no warnings', () => {
    assert.deepEqual(deletedWorkspaceDiagnostics(FILE, []), []);
    assert.deepEqual(deletedWorkspaceDiagnostics('- just\n- a list\n', ['support']), []);
  });

  it('the apply message names the workspaces and what to do', () => {
    assert.match(stillDeletedMessage(['support']), /^Still deleted on the server: `support` .*re-create it/);
  });
});
