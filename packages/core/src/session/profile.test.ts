import { describe, expect, it } from 'vitest'
import { idTokenClaims, profileOf } from './profile'
import type { Session } from './session'

const idTokenClaimsOf = {
  iss: 'https://id.example', aud: 'spa', exp: 2, iat: 1, nbf: 1, nonce: 'n', azp: 'spa', at_hash: 'h', c_hash: 'c',
  s_hash: 's', auth_time: 1, acr: 'urn:mfa', amr: ['pwd'], sid: 'x', jti: 'j', cnf: { jkt: 'k' },
  sub: 'alice', name: 'Alice', email: 'alice@example.com', picture: 'https://img.example/a.png',
}
const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

describe('profileOf', () => {
  it('leaves out the protocol claims and keeps the user’s, sub included', () => {
    expect(profileOf(idTokenClaimsOf)).toEqual({ sub: 'alice', name: 'Alice', email: 'alice@example.com', picture: 'https://img.example/a.png' })
  })
})

describe('idTokenClaims', () => {
  it('reads every claim of the session’s ID token, and null without one', () => {
    // The record keeps the validated ID token's claims apart from userinfo (merged only for `user`).
    const session: Session = { v: 1, accessToken: 'a', tokenType: 'bearer', expiresAt: 10, claims: idTokenClaimsOf, userinfo: { name: 'A.' }, seq: 1, idToken: `e30.${b64url(idTokenClaimsOf)}.sig` }
    expect(idTokenClaims(session)).toEqual(idTokenClaimsOf)
    expect(idTokenClaims({ ...session, idToken: undefined as never })).toBeNull()
    expect(idTokenClaims(undefined)).toBeNull()
  })
})
