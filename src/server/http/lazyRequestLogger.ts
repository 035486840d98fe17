import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
// pino's log methods are overloaded; the cast picks the rest-parameter form that forwarding
// needs (typescript-eslint reports these casts as unnecessary, but tsc needs them).
/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion */
type AnyLog = (...args: unknown[]) => void;

/**
 * `request.log`, made only when something logs. fastify gives every request a child of
 * the app's logger carrying its request id; pino serialises those bindings when the
 * child is made, on every request, although a request that succeeds logs nothing
 * through it (its access line is written by OneLinePerRequest). This stands in for that
 * child and makes the real one, with the same bindings and options, on first use, so
 * what an error or a handler logs is exactly what it was.
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.options?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  fatal(...args: unknown[]): void {
    (this.real.fatal as AnyLog)(...args);
  }

  error(...args: unknown[]): void {
    (this.real.error as AnyLog)(...args);
  }

  warn(...args: unknown[]): void {
    (this.real.warn as AnyLog)(...args);
  }

  info(...args: unknown[]): void {
    (this.real.info as AnyLog)(...args);
  }

  debug(...args: unknown[]): void {
    (this.real.debug as AnyLog)(...args);
  }

  trace(...args: unknown[]): void {
    (this.real.trace as AnyLog)(...args);
  }

  silent(...args: unknown[]): void {
    (this.real.silent as AnyLog)(...args);
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}
