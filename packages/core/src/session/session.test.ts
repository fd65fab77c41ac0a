import { describe, expect, it } from 'vitest'
import { DEFAULT_LIFETIME_MS, accessTokenLifetimeMs, sessionFromTokens } from '../protocol/tokens'
import { isFresh, leewayFor, maxJitterFor, parseSession, renewAfter } from './session'

describe('session records', () => {
  it('carries refresh token, ID token, scope and claims over when a refresh response omits them', () => {
    const first = sessionFromTokens(
      { access_token: 'a1', token_type: 'bearer', expires_in: 300, refresh_token: 'r1', id_token: 'i1', scope: 'openid' },
      { sub: 'u' },
      1_000,
    )
    const next = sessionFromTokens({ access_token: 'a2', token_type: 'bearer', expires_in: 300 }, undefined, 2_000, first)
    expect(next).toMatchObject({ accessToken: 'a2', refreshToken: 'r1', idToken: 'i1', scope: 'openid', claims: { sub: 'u' }, seq: 2, expiresAt: 302_000, issuedAt: 2_000 })
  })

  it('assumes a default lifetime when expires_in is missing or nonsense', () => {
    expect(sessionFromTokens({ access_token: 'a', token_type: 'bearer' }, {}, 0).expiresAt).toBe(DEFAULT_LIFETIME_MS)
    expect(sessionFromTokens({ access_token: 'a', token_type: 'bearer', expires_in: -5 }, {}, 0).expiresAt).toBe(DEFAULT_LIFETIME_MS)
  })

  it('no expires_in: the exp of a JWT-shaped access token (from iat when present), else a conservative 5 minutes', () => {
    const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`
    const at = (access_token: string) => ({ access_token })
    expect(accessTokenLifetimeMs(at(jwt({ iat: 1_000, exp: 1_030 })), 5_000_000)).toBe(30_000)
    expect(accessTokenLifetimeMs(at(jwt({ exp: 1_000 })), 990_000)).toBe(10_000)
    expect(DEFAULT_LIFETIME_MS).toBe(300_000)
    for (const token of ['opaque', jwt({ exp: 'soon' }), jwt({ exp: 10 }), 'a.%%%.c', jwt({ iat: 0, exp: 10 * 24 * 3600 })]) {
      expect(accessTokenLifetimeMs(at(token), 1_000_000)).toBe(DEFAULT_LIFETIME_MS)
    }
    // expires_in wins when present.
    expect(accessTokenLifetimeMs({ access_token: jwt({ iat: 0, exp: 30 }), expires_in: 60 }, 0)).toBe(60_000)
    expect(sessionFromTokens({ access_token: jwt({ iat: 7, exp: 27 }), token_type: 'bearer' }, {}, 1_000).expiresAt).toBe(21_000)
  })

  it('rejects records of the wrong shape or version', () => {
    const good = sessionFromTokens({ access_token: 'a', token_type: 'bearer' }, { sub: 'u' }, 0)
    expect(parseSession(good)).toBe(good)
    expect(parseSession(JSON.parse(JSON.stringify(good)))).toEqual(good)
    for (const bad of [null, 'x', {}, { ...good, v: 2 }, { ...good, accessToken: 5 }, { ...good, expiresAt: 'soon' }, { ...good, claims: null }, { ...good, refreshToken: 1 }]) {
      expect(parseSession(bad)).toBeUndefined()
    }
  })

  it('is fresh only outside the leeway', () => {
    const s = sessionFromTokens({ access_token: 'a', token_type: 'bearer', expires_in: 900 }, {}, 0)
    expect(isFresh(s, 839_999, 60_000)).toBe(true)
    expect(isFresh(s, 840_000, 60_000)).toBe(false)
  })

  it('regression: a token that lives less than the leeway is not renewed in a loop (leeway capped at a tenth of its life)', () => {
    const s = sessionFromTokens({ access_token: 'a', token_type: 'bearer', expires_in: 60 }, {}, 0)
    expect(leewayFor(s, 60_000)).toBe(6_000)
    expect(isFresh(s, 53_999, 60_000)).toBe(true)
    expect(isFresh(s, 54_000, 60_000)).toBe(false)
  })

  it('regression (two grants per lifetime at 10 s tokens): the earliest renewal comes after 87.5 % of any lifetime', () => {
    for (const seconds of [10, 30, 60, 300, 600, 3600]) {
      const s = sessionFromTokens({ access_token: 'a', token_type: 'bearer', expires_in: seconds }, {}, 0)
      const lifetime = seconds * 1000
      // Leeway plus the largest jitter: at most 12.5 % of the lifetime, so at most 1/0.875 = 1.14 grants per lifetime.
      expect(renewAfter(s, 60_000)).toBeGreaterThanOrEqual(lifetime * 0.875)
      expect(leewayFor(s, 60_000) + maxJitterFor(s, 60_000)).toBeLessThanOrEqual(lifetime * 0.125)
      // ...and never later than the configured leeway before expiry.
      expect(lifetime - leewayFor(s, 60_000)).toBeGreaterThanOrEqual(lifetime - 60_000)
    }
  })

})
