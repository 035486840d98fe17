import type { Command } from 'commander';
import * as access from './access';
import * as apiKeys from './apiKeys';
import * as apply from './apply';
import * as audit from './audit';
import * as check from './check';
import * as directory from './directory';
import * as evaluate from './eval';
import * as explain from './explain';
import * as hooks from './hooks';
import * as init from './init';
import * as invites from './invites';
import * as lint from './lint';
import * as login from './login';
import * as logout from './logout';
import * as publish from './publish';
import * as unpublish from './unpublish';
import * as review from './review';
import * as run from './run';
import * as serve from './serve';
import * as serverKey from './serverKey';
import * as sync from './sync';
import * as signingKey from './signingKey';
import * as users from './users';
import * as verify from './verify';
import * as whoami from './whoami';
import * as workspaces from './workspaces';

/** Each command lives in its own file and adds itself to the program. */
export type RegisterCommand = (program: Command) => void;

/** In the order `promptops --help` lists them: repository checks, the server, then the review workflow. */
export const commands: RegisterCommand[] = [
  lint.register,
  explain.register,
  run.register,
  evaluate.register,
  check.register,
  hooks.register,
  verify.register,
  serve.register,
  login.register,
  logout.register,
  whoami.register,
  init.register,
  serverKey.register,
  apply.register,
  workspaces.register,
  users.register,
  signingKey.register,
  apiKeys.register,
  invites.register,
  access.register,
  directory.register,
  review.register,
  publish.register,
  unpublish.register,
  sync.register,
  audit.register,
];
