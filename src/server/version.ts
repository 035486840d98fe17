declare const PROMPTOPS_VERSION: string | undefined;

/** Set by esbuild in the bundle; `dev` when run from source (tests, tsx). */
export const SERVER_VERSION: string = typeof PROMPTOPS_VERSION === 'string' ? PROMPTOPS_VERSION : 'dev';
