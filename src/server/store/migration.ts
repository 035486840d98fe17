/** One schema step. Versions only grow; a released migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Checks the list is strictly increasing, so a bad merge fails loudly at start. */
export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (i > 0 && m.version <= migrations[i - 1].version) {
      throw new Error(`migration ${m.version} (${m.name}) is out of order`);
    }
  });
}
