import { parseAccessFile } from '../../core/access';
import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { builtinOnlyPolicy } from '../../core/access/builtinOnlyPolicy';
import type { Diagnostic } from '../../core/diagnostics';
import { compilePolicy, type CompiledPolicy } from '../../core/policy/compiledPolicy';

export interface GatePolicy {
  /** Undefined when the access file has errors: nothing can be decided for non-admins then. */
  compiled?: CompiledPolicy;
  errors: Diagnostic[];
}

/** The policy a gate decides with, from the access file's text at some revision (undefined: no file there). */
export function gatePolicyFrom(accessText: string | undefined): GatePolicy {
  if (accessText === undefined) return { compiled: compilePolicy(builtinOnlyPolicy()), errors: [] };
  const { policy, diagnostics } = parseAccessFile(accessText, ACCESS_FILE_PATH);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return policy ? { compiled: compilePolicy(policy), errors } : { errors };
}
