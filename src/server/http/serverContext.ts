import type { SignIn } from '../auth/signIn';
import type { LoginThrottle } from '../auth/loginThrottle';
import type { CredentialWarnings } from '../auth/securityWarnings';
import type { PolicyProvider } from '../policy/policyInForce';
import type { SigningKeyProvider } from '../signing/signingKeyProvider';
import type { Store } from '../store/store';

/** What route handlers are given: the store and the services built over it. */
export interface ServerContext {
  store: Store;
  signIn: SignIn;
  /** The sign-in throttle, also guarding invite acceptance (a token guesser is a password guesser). */
  loginThrottle: LoginThrottle;
  /** Default credentials still in use, for admins' `GET /api/me`. */
  credentialWarnings: CredentialWarnings;
  now: () => number;
  /** The applied access file, compiled: what every review and publish decision uses. */
  policies: PolicyProvider;
  /** The Ed25519 key releases, records and the user directory are signed with now, and its rotation chain (read per use: another process may rotate it). */
  signingKeys: SigningKeyProvider;
  /** The environment naming the model endpoint the server's evaluations use (never a client's). */
  modelEnv: NodeJS.ProcessEnv;
}
