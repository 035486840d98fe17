import { BUILTIN_ROLES, isBuiltinRole } from '../policy/actions';
import type { Diagnostic, Suggestion } from '../diagnostics';
import type { YamlSource } from '../yamlSource';
import { DEFAULT_ENVIRONMENTS } from './accessPolicy';
import { pathGlobProblem } from './pathGlobs';
import { asMap, field, hasField, mapEntries, stringItems } from './rawData';
import { findRoleCycles } from './roleChain';
import { didYouMean, suggestionFor, suggestionOrList } from './suggest';

type Path = (string | number)[];

/**
 * What the JSON Schema cannot say: every role named exists, built-in roles are not
 * redefined, `extends` has no cycle, environments are unique and declared where used,
 * and path globs can match repo-relative paths. Runs on the raw data, skipping parts
 * whose shape is wrong (the schema reports those).
 */
export function semanticDiagnostics(source: YamlSource, data: unknown): Diagnostic[] {
  const root = asMap(data);
  if (!root) return [];
  const checker = new SemanticChecker(source, root);
  checker.run();
  return checker.diagnostics;
}

class SemanticChecker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly knownRoles: string[];

  constructor(
    private readonly source: YamlSource,
    private readonly root: Readonly<Record<string, unknown>>,
  ) {
    const customNames = mapEntries(root.roles)
      .map(([name]) => name)
      .filter((name) => !isBuiltinRole(name));
    this.knownRoles = [...BUILTIN_ROLES, ...customNames];
  }

  run(): void {
    const declaredEnvironments = this.checkEnvironments();
    this.checkRoles();
    this.checkApprovalRule(['approvals'], field(this.root, 'approvals'));
    for (const [name, workspace] of mapEntries(this.root.workspaces)) {
      this.checkWorkspace(['workspaces', name], workspace, declaredEnvironments);
    }
    this.checkGlobs(['protected'], field(this.root, 'protected'));
  }

  /** The environments prompts may name: the declared list (duplicates reported), the default list when absent, undefined when unusable. */
  private checkEnvironments(): string[] | undefined {
    if (!hasField(this.root, 'environments')) return [...DEFAULT_ENVIRONMENTS];
    const value = field(this.root, 'environments');
    // Not a list, or an empty one: the schema reports it, and nothing could be declared.
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const firstIndex = new Map<string, number>();
    for (const [i, env] of stringItems(value)) {
      const earlier = firstIndex.get(env);
      if (earlier === undefined) firstIndex.set(env, i);
      else
        this.error(['environments', i], `duplicate environment "${env}" (already listed as environments[${earlier}])`);
    }
    return [...firstIndex.keys()];
  }

  private checkRoles(): void {
    const parents = new Map<string, string>();
    for (const [name, role] of mapEntries(this.root.roles)) {
      if (isBuiltinRole(name)) {
        this.error(
          ['roles', name],
          `"${name}" is a built-in role and cannot be redefined; give the custom role another name`,
          'key',
        );
        continue;
      }
      const base = field(role, 'extends');
      if (typeof base !== 'string') continue;
      this.checkRoleReference(['roles', name, 'extends'], base);
      if (this.knownRoles.includes(base) && !isBuiltinRole(base)) parents.set(name, base);
    }
    for (const cycle of findRoleCycles(parents)) {
      this.error(['roles', cycle[0], 'extends'], `role cycle: ${[...cycle, cycle[0]].join(' → ')}`);
    }
  }

  private checkWorkspace(path: Path, workspace: unknown, declaredEnvironments: string[] | undefined): void {
    this.checkGlobs([...path, 'paths'], field(workspace, 'paths'));
    for (const [username, role] of mapEntries(field(workspace, 'members'))) {
      if (typeof role === 'string') this.checkRoleReference([...path, 'members', username], role);
    }
    this.checkApprovalRule([...path, 'approvals'], field(workspace, 'approvals'));
    for (const [env, rule] of mapEntries(field(workspace, 'environments'))) {
      const envPath = [...path, 'environments', env];
      if (declaredEnvironments && !declaredEnvironments.includes(env)) {
        const hint =
          didYouMean(env, declaredEnvironments) ||
          `; declare it in the top-level "environments" (${declaredEnvironments.join(', ')})`;
        this.error(envPath, `unknown environment "${env}"${hint}`, 'key', suggestionFor(env, declaredEnvironments));
      }
      this.checkRoleList([...envPath, 'edit'], field(rule, 'edit'));
      this.checkRoleList([...envPath, 'publish'], field(rule, 'publish'));
      this.checkApprovalRule([...envPath, 'approvals'], field(rule, 'approvals'));
    }
  }

  private checkApprovalRule(path: Path, rule: unknown): void {
    this.checkRoleList([...path, 'from'], field(rule, 'from'));
  }

  private checkRoleList(path: Path, list: unknown): void {
    for (const [i, role] of stringItems(list)) this.checkRoleReference([...path, i], role);
  }

  private checkRoleReference(path: Path, role: string): void {
    // An empty name is a schema error ("must be a role name"); do not report it twice.
    if (role === '' || this.knownRoles.includes(role)) return;
    this.error(
      path,
      `unknown role "${role}"${suggestionOrList(role, this.knownRoles, 'roles')}`,
      'value',
      suggestionFor(role, this.knownRoles),
    );
  }

  private checkGlobs(path: Path, list: unknown): void {
    for (const [i, glob] of stringItems(list)) {
      const problem = pathGlobProblem(glob);
      if (problem) this.error([...path, i], problem);
    }
  }

  private error(path: Path, message: string, at: 'key' | 'value' = 'value', suggestion?: Suggestion): void {
    this.diagnostics.push(this.source.diagnostic(path, message, { at, suggestion }));
  }
}
