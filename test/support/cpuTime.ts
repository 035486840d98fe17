/**
 * CPU time this process spent, in milliseconds (user + system). Tests that guard against
 * pathological slowness (quadratic parsing, one long event-loop turn) compare CPU time,
 * not wall-clock time: on a loaded machine the process may wait for a core for hundreds
 * of milliseconds without doing any of the work being judged.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The CPU time `work` took, and its result. */
export function withCpuMs<T>(work: () => T): { result: T; ms: number } {
  const started = cpuMs();
  const result = work();
  return { result, ms: cpuMs() - started };
}
