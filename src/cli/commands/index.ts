import type { Command } from 'commander';
import * as explain from './explain';
import * as lint from './lint';
import * as serve from './serve';

/** Each command lives in its own file and adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [lint.register, explain.register, serve.register];
