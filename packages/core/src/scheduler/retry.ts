import { backoffMs } from './backoff'

/** Longest wait a provider's `Retry-After` can impose; a longer one is taken as this. */
export const MAX_RETRY_AFTER_MS = 300_000

/**
 * Longest gap between two tries while the access token is still valid: once the provider
 * answers again, a session inside its leeway is renewed within this long.
 */
export const MAX_RETRY_WHILE_VALID_MS = 5_000

/** The last try is planned this long before expiry, so its answer can still arrive in time. */
export const LAST_TRY_BEFORE_EXPIRY_MS = 1_000

/**
 * The delay a `Retry-After` header asks for (RFC 9110 §10.2.3): delay-seconds or an HTTP-date,
 * capped at {@link MAX_RETRY_AFTER_MS}. `undefined` when absent or unreadable; 0 for a date in
 * the past.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (typeof header !== 'string') return undefined
  const value = header.trim()
  let ms: number
  if (/^\d+$/.test(value)) ms = Number(value) * 1000
  else {
    // IMF-fixdate and the obsolete forms, which Date.parse reads; a bare number is not a date.
    if (!/[a-z]/i.test(value)) return undefined
    const at = Date.parse(value)
    if (Number.isNaN(at)) return undefined
    ms = Math.max(0, at - now)
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS)
}

/** What the next try after a transient refresh failure is planned from. */
export interface RetryInput {
  /** Epoch ms now (the injected clock). */
  readonly now: number
  /** Failures in a row so far, this one included (1, 2, ...). */
  readonly attempt: number
  /** When the current access token expires (epoch ms). */
  readonly expiresAt: number
  /** What the provider's `Retry-After` asked for, already read by {@link retryAfterMs}. */
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
