/**
 * Delay before retry number `attempt` (1, 2, ...) after a transient failure: capped exponential
 * backoff with full jitter, so tabs and clients that failed together do not retry together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 2_000, capMs = 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
