// Reading a provider's `Retry-After` (RFC 9110 §10.2.3): pure parsing, no timers.

/** Longest wait a provider's `Retry-After` can impose; a longer one is taken as this. */
export const MAX_RETRY_AFTER_MS = 300_000

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
