// logout({ logoutUrl }): providers whose logout is not RP-initiated logout (Cognito's /logout,
// Auth0's /v2/logout) still end their session, after the same local logout and revocation.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient as create, type AuthClient } from './client'
import type { AuthClientOptions } from './options'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from './test/fakeProvider'

let op: FakeProvider
let assigned: string[]
const clients: AuthClient[] = []
const createAuthClient: typeof create = (o) => {
  const c = create(o)
  clients.push(c)
  return c
}
const options = (extra: Partial<AuthClientOptions> = {}): AuthClientOptions => ({
  issuer: ISSUER,
  clientId: CLIENT_ID,
  redirectUri: `${location.origin}/callback`,
  fetch: op.fetch,
  ...extra,
})
const COGNITO_LOGOUT = `https://shop.auth.eu-west-1.amazoncognito.com/logout?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent(`${location.origin}/`)}`

async function signIn(metadata: Record<string, unknown> = {}): Promise<AuthClient> {
  op = await createFakeProvider(metadata)
  await createAuthClient(options()).login()
  history.replaceState(null, '', op.authorize(assigned.pop()!, { sub: 'alice' }))
  const auth = createAuthClient(options())
  await auth.start()
  expect(auth.getSnapshot().status).toBe('authenticated')
  return auth
}

beforeEach(() => {
  sessionStorage.clear()
  history.replaceState(null, '', '/')
  assigned = []
  vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => void assigned.push(String(url)))
  // The provider's logout page replaces the page (location.replace): recorded alike.
  vi.spyOn(location, 'replace').mockImplementation((url: string | URL) => void assigned.push(String(url)))
})
afterEach(() => {
  for (const c of clients.splice(0)) c.stop()
  vi.restoreAllMocks()
})

describe('logout({ logoutUrl })', () => {
  it('signs out here, revokes, then goes to the given URL (a provider without end_session_endpoint)', async () => {
    const auth = await signIn({ end_session_endpoint: undefined })
    const refreshToken = op.refreshTokensIssued.at(-1)
    await auth.logout({ logoutUrl: COGNITO_LOGOUT })
    // The page is leaving for the provider's logout: signingOut until it is gone (issue 14).
    expect(auth.getSnapshot()).toMatchObject({ status: 'signingOut', user: null })
    expect(Object.keys(sessionStorage).some((k) => k.endsWith(':session'))).toBe(false)
    expect(op.revoked).toEqual([refreshToken])
    expect(assigned).toEqual([new URL(COGNITO_LOGOUT).href])
  })

  it('goes there instead of the end-session endpoint, and puts no token in it', async () => {
    const auth = await signIn()
    await auth.logout({ logoutUrl: new URL('https://shop.eu.auth0.com/v2/logout?returnTo=x'), idTokenHint: true })
    expect(assigned).toEqual(['https://shop.eu.auth0.com/v2/logout?returnTo=x'])
    expect(assigned.some((u) => u.includes(`${ISSUER}/session/end`))).toBe(false)
  })

  it('still goes there when the provider metadata cannot be fetched', async () => {
    // A fresh page (the client that signed in is gone: still running, it would take the logout
    // for another tab's and revoke its own copy) with the metadata cache gone and the provider down.
    ;(await signIn()).stop()
    sessionStorage.removeItem(Object.keys(sessionStorage).find((k) => k.endsWith(':metadata'))!)
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    const reloaded = createAuthClient(options())
    await reloaded.start()
    const revokedBefore = op.revoked.length
    await reloaded.logout({ logoutUrl: COGNITO_LOGOUT })
    expect(op.revoked.length).toBe(revokedBefore) // no metadata, so no revocation endpoint
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'signingOut', user: null, error: null })
    expect(assigned).toEqual([new URL(COGNITO_LOGOUT).href])
  })

  it('is ignored with localOnly', async () => {
    const auth = await signIn()
    await auth.logout({ localOnly: true, logoutUrl: COGNITO_LOGOUT })
    expect(assigned).toEqual([])
    expect(auth.getSnapshot().status).toBe('unauthenticated')
  })

  it.each(['/logout', 'http://id.example.com/logout', 'javascript:alert(1)'])(
    'refuses %s with a TypeError before forgetting anything',
    async (bad) => {
      const auth = await signIn()
      const before = JSON.stringify(Object.entries(sessionStorage).sort())
      await expect(auth.logout({ logoutUrl: bad })).rejects.toMatchObject({
        name: 'TypeError',
        code: 'ERR_INVALID_OPTION',
        message: expect.stringContaining('logoutUrl'),
      })
      expect(JSON.stringify(Object.entries(sessionStorage).sort())).toBe(before)
      expect(auth.getSnapshot().status).toBe('authenticated')
      expect(assigned).toEqual([])
    },
  )

  it('allows plain http on loopback (local development)', async () => {
    const auth = await signIn()
    await auth.logout({ logoutUrl: 'http://127.0.0.1:9080/logout' })
    expect(assigned).toEqual(['http://127.0.0.1:9080/logout'])
  })
})
