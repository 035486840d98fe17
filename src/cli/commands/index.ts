import type { Command } from 'commander';
import * as check from './check';
import * as explain from './explain';
import * as hooks from './hooks';
import * as lint from './lint';
import * as serve from './serve';
import * as verify from './verify';
import * as login from './login';
import * as logout from './logout';
import * as whoami from './whoami';
import * as apply from './apply';
import * as users from './users';
import * as review from './review';
import * as publish from './publish';

/** Each command lives in its own file and adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [lint.register, explain.register, serve.register, check.register, verify.register, hooks.register, login.register, logout.register, whoami.register, apply.register, users.register, review.register, publish.register];
