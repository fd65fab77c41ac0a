import { describe, expect, it } from 'vitest'
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../protocol/flows/retryAfter'
import { LAST_TRY_BEFORE_EXPIRY_MS, MAX_RETRY_WHILE_VALID_MS, nextRetryAt } from './retry'

const now = Date.UTC(2026, 0, 1, 12, 0, 0)

describe('retryAfterMs (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds and HTTP-dates, capped', () => {
    expect(retryAfterMs('10', now)).toBe(10_000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000)
    expect(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0) // in the past
    expect(retryAfterMs('86400', now)).toBe(MAX_RETRY_AFTER_MS)
  })

  it('ignores what is not a Retry-After', () => {
    for (const bad of [null, undefined, '', 'soon', '-5', '1.5', '10s']) expect(retryAfterMs(bad, now)).toBeUndefined()
  })
})

describe('nextRetryAt', () => {
  const expiresAt = now + 60_000
  it('regression (slow recovery): while the token is valid, tries stay at most 5 s apart however many failed', () => {
    for (const attempt of [1, 2, 3, 5, 10, 40]) {
      const at = nextRetryAt({ now, attempt, expiresAt, random: () => 1 })
      expect(at - now).toBeLessThanOrEqual(MAX_RETRY_WHILE_VALID_MS)
      expect(at - now).toBeGreaterThan(0)
    }
    expect(nextRetryAt({ now, attempt: 1, expiresAt, random: () => 0 }) - now).toBe(1_000)
  })

  it('never plans past the last try that can still save the token', () => {
    const soon = now + 3_000
    expect(nextRetryAt({ now, attempt: 4, expiresAt: soon, random: () => 1 })).toBe(soon - LAST_TRY_BEFORE_EXPIRY_MS)
  })

  it('after expiry: capped exponential backoff up to 60 s', () => {
    const expired = now - 1
    expect(nextRetryAt({ now, attempt: 1, expiresAt: expired, random: () => 1 }) - now).toBe(2_000)
    expect(nextRetryAt({ now, attempt: 30, expiresAt: expired, random: () => 1 }) - now).toBe(60_000)
  })

  it('regression (Retry-After ignored): a Retry-After is never undercut, even near expiry', () => {
    const at = nextRetryAt({ now, attempt: 1, expiresAt, retryAfterMs: 10_000, random: () => 0 })
    expect(at - now).toBe(10_000)
    const jittered = nextRetryAt({ now, attempt: 1, expiresAt, retryAfterMs: 10_000, random: () => 1 })
    expect(jittered - now).toBe(11_000)
    // The provider's word beats "save the token": it asked for 20 s, the token has 5 s.
    expect(nextRetryAt({ now, attempt: 1, expiresAt: now + 5_000, retryAfterMs: 20_000, random: () => 0 }) - now).toBe(20_000)
  })
})
