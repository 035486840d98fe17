import type { SignIn } from '../auth/signIn';
import type { StaticToken } from '../auth/staticToken';
import type { Store } from '../store/store';

/** What route handlers are given: the store and the auth services built over it. */
export interface ServerContext {
  store: Store;
  signIn: SignIn;
  staticToken: StaticToken;
  now: () => number;
}
