import type { Command } from 'commander';
import * as check from './check';
import * as explain from './explain';
import * as hooks from './hooks';
import * as lint from './lint';
import * as serve from './serve';
import * as verify from './verify';

/** Each command lives in its own file and adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [lint.register, explain.register, serve.register, check.register, verify.register, hooks.register];
