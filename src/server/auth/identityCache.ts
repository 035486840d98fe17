/**
 * What the store said about a credential (a session and its user, an API key and its
 * creator), kept between requests only while the store's auth generation has not moved
 * (`Store.authGeneration`; migration 19's triggers move it in the same commit as any change
 * to users, sessions or API keys, made by any process). A request reads the generation
 * first, so a change committed before it started is never answered from here: it applies
 * on the very next request in every process. Entries are frozen, so no request can alter
 * what the next one is handed. At most `capacity` entries; past it the cache starts over.
 */
export class IdentityCache<V extends object> {
  private generation: number | undefined;
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  /** The entry kept under `generation` (just read from the store); a moved generation drops them all. */
  get(key: string, generation: number): V | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return undefined;
    }
    return this.entries.get(key);
  }

  /**
   * Keeps `value`, read from the store after `generation` was. Not kept when another
   * request has since seen the generation move: the value may predate that change.
   */
  set(key: string, value: V, generation: number): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, deepFreeze(value));
  }

  /** Entries held now (never more than the capacity). */
  get size(): number {
    return this.entries.size;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
