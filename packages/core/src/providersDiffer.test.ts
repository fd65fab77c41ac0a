// Providers differ in what they advertise and send back; the standards allow all of the below and
// the client must work with each, with no provider-specific code.
import { describe, expect, it } from 'vitest'
import { ISSUER } from './test/fakeProvider'
import { assigned, op, useFakeProvider } from './test/harness'

const { signIn: redirectLogin, replaceProvider } = useFakeProvider({ options: () => ({ postLogoutRedirectUri: `${location.origin}/` }) })
const signIn = (iss?: string | null) => redirectLogin({}, iss === undefined ? {} : { iss })

const storedSession = () => {
  const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
  return key ? (JSON.parse(sessionStorage.getItem(key)!) as { refreshToken?: string; claims: Record<string, unknown> }) : undefined
}

describe('metadata without optional endpoints', () => {
  it('no revocation_endpoint and no end_session_endpoint: logout still signs out here, with no request and no navigation', async () => {
    await replaceProvider({ revocation_endpoint: undefined, end_session_endpoint: undefined })
    const auth = await signIn()
    expect(auth.getSnapshot().status).toBe('authenticated')
    const calls = op.calls.length
    await auth.logout()
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: null })
    expect(storedSession()).toBeUndefined()
    expect(assigned).toEqual([])
    expect(op.calls.slice(calls)).toEqual([])
    expect(op.revoked).toEqual([])
  })

  it('no revocation_endpoint but an end_session_endpoint: no revocation, still the provider logout', async () => {
    await replaceProvider({ revocation_endpoint: undefined })
    const auth = await signIn()
    await auth.logout()
    expect(op.revoked).toEqual([])
    expect(assigned.map((u) => new URL(u).pathname)).toEqual(['/session/end'])
  })
})

describe('refresh responses', () => {
  it('without refresh_token (RFC 6749 section 6) the old one is kept and used for the next refresh; without id_token the claims stay', async () => {
    const auth = await signIn()
    const first = storedSession()!
    expect(first.claims.name).toBe('Alice')
    op.rotate = false // the provider answers with an access token only
    await auth.getAccessToken({ forceRefresh: true })
    const second = storedSession()!
    expect(second.refreshToken).toBe(first.refreshToken)
    expect(second.claims).toEqual(first.claims)
    // The kept refresh token still works: the provider never invalidated it.
    const before = op.calls.filter((c) => c === 'POST /token').length
    await auth.getAccessToken({ forceRefresh: true })
    expect(op.calls.filter((c) => c === 'POST /token').length).toBe(before + 1)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('with a new refresh_token the old one is discarded (rotation)', async () => {
    const auth = await signIn()
    const first = storedSession()!
    await auth.getAccessToken({ forceRefresh: true })
    expect(storedSession()!.refreshToken).toBe(op.refreshTokensIssued.at(-1))
    expect(storedSession()!.refreshToken).not.toBe(first.refreshToken)
  })

  it('an error with an empty body and a 5xx status keeps the session', async () => {
    const auth = await signIn()
    const before = storedSession()
    op.override('/token', () => new Response(null, { status: 502 }))
    await auth.getAccessToken({ forceRefresh: true }).catch(() => {})
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_REFRESH_FAILED', status: 502 } })
    expect(storedSession()).toEqual(before)
  })
})

describe('iss in the authorization response without authorization_response_iss_parameter_supported', () => {
  it('the right iss is accepted', async () => {
    await replaceProvider({ authorization_response_iss_parameter_supported: undefined })
    const auth = await signIn(ISSUER)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('another iss is still checked and rejected, and nothing is stored', async () => {
    await replaceProvider({ authorization_response_iss_parameter_supported: undefined })
    const auth = await signIn('https://evil.example')
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_CALLBACK_INVALID' } })
    expect(storedSession()).toBeUndefined()
    expect(op.calls.filter((c) => c.endsWith('/token'))).toEqual([])
  })

  it('no iss at all is fine when the provider does not advertise it', async () => {
    await replaceProvider({ authorization_response_iss_parameter_supported: undefined })
    const auth = await signIn(null)
    expect(auth.getSnapshot().status).toBe('authenticated')
  })
})
