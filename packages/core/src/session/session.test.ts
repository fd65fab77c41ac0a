import { describe, expect, it } from 'vitest'
import { DEFAULT_LIFETIME_MS, isFresh, leewayFor, parseSession, sessionFromTokens } from './session'

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

  it('rejects records of the wrong shape or version', () => {
    const good = sessionFromTokens({ access_token: 'a', token_type: 'bearer' }, { sub: 'u' }, 0)
    expect(parseSession(good)).toBe(good)
    expect(parseSession(JSON.parse(JSON.stringify(good)))).toEqual(good)
    for (const bad of [null, 'x', {}, { ...good, v: 2 }, { ...good, accessToken: 5 }, { ...good, expiresAt: 'soon' }, { ...good, claims: null }, { ...good, refreshToken: 1 }]) {
      expect(parseSession(bad)).toBeUndefined()
    }
  })

  it('is fresh only outside the leeway', () => {
    const s = sessionFromTokens({ access_token: 'a', token_type: 'bearer', expires_in: 300 }, {}, 0)
    expect(isFresh(s, 239_999, 60_000)).toBe(true)
    expect(isFresh(s, 240_000, 60_000)).toBe(false)
  })

  it('regression: a token that lives less than the leeway is not renewed in a loop (leeway capped at half its life)', () => {
    const s = sessionFromTokens({ access_token: 'a', token_type: 'bearer', expires_in: 60 }, {}, 0)
    expect(leewayFor(s, 60_000)).toBe(30_000)
    expect(isFresh(s, 29_999, 60_000)).toBe(true)
    expect(isFresh(s, 30_000, 60_000)).toBe(false)
  })
})
