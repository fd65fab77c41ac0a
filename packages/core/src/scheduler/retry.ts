import { backoffMs } from './backoff'

/**
 * Longest gap between two tries while the access token is still valid: once the provider
 * answers again, a session inside its leeway is renewed within this long.
 */
export const MAX_RETRY_WHILE_VALID_MS = 5_000

/** The last try is planned this long before expiry, so its answer can still arrive in time. */
export const LAST_TRY_BEFORE_EXPIRY_MS = 1_000

/** What the next try after a transient refresh failure is planned from. */
export interface RetryInput {
  /** Epoch ms now (the injected clock). */
  readonly now: number
  /** Failures in a row so far, this one included (1, 2, ...). */
  readonly attempt: number
  /** When the current access token expires (epoch ms). */
  readonly expiresAt: number
  /** What the provider's `Retry-After` asked for, in ms (flows/retryAfter reads it). */
  readonly retryAfterMs?: number | undefined
  readonly random?: () => number
}

/**
 * When to try again after a transient failure (epoch ms).
 *
 * - While the access token is valid: backoff from 2 s doubling, capped at 5 s, with full jitter,
 *   so a provider that answers again renews a session inside its leeway within about 5 s; and
 *   never planned past the last moment a try can still save the token (1 s before expiry).
 * - Once it has expired: 2 s doubling to 60 s, with full jitter (nothing is lost by waiting).
 * - A `Retry-After` is honoured: the try is never earlier than it asks (capped at 5 minutes),
 *   even when that lets the access token expire. The session is kept and renewed then.
 */
export function nextRetryAt(input: RetryInput): number {
  const { now, attempt, expiresAt, random = Math.random } = input
  const valid = now < expiresAt
  const delay = valid ? backoffMs(attempt, random, 2_000, MAX_RETRY_WHILE_VALID_MS) : backoffMs(attempt, random)
  let at = now + delay
  const lastChance = expiresAt - LAST_TRY_BEFORE_EXPIRY_MS
  if (now < lastChance && at > lastChance) at = lastChance
  if (input.retryAfterMs !== undefined) {
    // A little jitter past the asked-for moment, so clients told alike do not all come back at once.
    const asked = now + input.retryAfterMs
    at = Math.max(at, asked + Math.round(random() * Math.min(1_000, input.retryAfterMs / 10)))
  }
  return Math.round(at)
}
