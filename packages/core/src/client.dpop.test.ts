// protocol.dpop with the real client against the fake provider: keys per sign-in, proofs on every
// token request, nonces, the headers apps use, a provider that ignores proofs, a key that is gone.
import { createStore, del, get } from 'idb-keyval'
import { dpopProofs, type DPoPProofs } from './dpop/dpopProofs'
import { decodeJwt } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthFetch } from './authFetch'
import { createAuthClient as create, type AuthClient } from './client'
import type { AuthClientOptions } from './options'
import { createMemoryStorage } from './storage/memoryStorage'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from './test/fakeProvider'

let op: FakeProvider
let assigned: string[]
let proofsTo: string[]
/** The authorization URL of the last sign-in. */
let lastAuthorization = ''
const clients: AuthClient[] = []
const createAuthClient: typeof create = (o) => {
  const c = create(o)
  clients.push(c)
  return c
}

/** The provider's fetch, noting which requests carried a DPoP proof. */
const watched: typeof fetch = async (input, init) => {
  const req = new Request(input, init)
  if (req.headers.has('dpop')) proofsTo.push(`${req.method} ${new URL(req.url).pathname}`)
  return op.fetch(req)
}

const options = (extra: Partial<AuthClientOptions> = {}): AuthClientOptions => ({
  issuer: ISSUER,
  clientId: CLIENT_ID,
  redirectUri: `${location.origin}/callback`,
  fetch: watched,
  protocol: { dpop: dpopProofs() },
  ...extra,
})

beforeEach(async () => {
  sessionStorage.clear()
  localStorage.clear()
  history.replaceState(null, '', '/')
  op = await createFakeProvider({ dpop_signing_alg_values_supported: ['ES256'] })
  assigned = []
  proofsTo = []
  vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => void assigned.push(String(url)))
  // The provider's logout page replaces the page (location.replace): recorded alike.
  vi.spyOn(location, 'replace').mockImplementation((url: string | URL) => void assigned.push(String(url)))
})
afterEach(() => {
  for (const c of clients.splice(0)) c.stop()
  vi.restoreAllMocks()
})

async function signIn(extra: Partial<AuthClientOptions> = {}): Promise<AuthClient> {
  await createAuthClient(options(extra)).login()
  lastAuthorization = assigned.pop()!
  history.replaceState(null, '', op.authorize(lastAuthorization))
  const auth = createAuthClient(options(extra))
  await auth.start()
  return auth
}

/** The IndexedDB side store where keys of JSON and custom stores live. */
const sideStore = createStore('tokenkeep-dpop', 'keys')
const keySlot = (keyId: string) => `tk:${CLIENT_ID}@${ISSUER}/:dpop-key:${keyId}`

const storedSession = () => {
  const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
  return key ? (JSON.parse(sessionStorage.getItem(key)!) as { tokenType: string; dpopKey?: string; accessToken: string }) : undefined
}

describe('protocol.dpop', () => {
  it('binds the login (dpop_jkt), proves the key at the code exchange, and gets DPoP tokens', async () => {
    const auth = await signIn()
    expect(auth.getSnapshot().status).toBe('authenticated')
    const authorization = new URL(lastAuthorization)
    expect(authorization.searchParams.get('dpop_jkt')).toMatch(/^[\w-]{43}$/)
    expect(proofsTo).toEqual(['POST /token'])
    expect(storedSession()).toMatchObject({ tokenType: 'dpop', dpopKey: expect.any(String) })
    // No key material in the JSON store.
    expect(JSON.stringify(Object.entries(sessionStorage))).not.toMatch(/privateKey|"d":/)
  })

  it('refresh carries a proof by the same key; the provider refuses the bound refresh token without it', async () => {
    const auth = await signIn()
    const before = storedSession()!
    await auth.getAccessToken({ forceRefresh: true })
    expect(proofsTo).toEqual(['POST /token', 'POST /token'])
    expect(storedSession()).toMatchObject({ tokenType: 'dpop', dpopKey: before.dpopKey })
    expect(op.refreshTokensIssued).toHaveLength(2)
    // The stored refresh token is bound: sent without a proof of the key, it is refused.
    const refreshToken = (JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.endsWith(':session'))!)!) as { refreshToken: string }).refreshToken
    const stolen = await op.fetch(`${ISSUER}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID }),
    })
    expect(await stolen.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('a provider nonce costs one round trip at sign-in and none at the next refresh', async () => {
    op.dpop.requireNonce = true
    const auth = await signIn()
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(op.nonceChallenges).toEqual(['POST /token'])
    await auth.getAccessToken({ forceRefresh: true })
    expect(op.nonceChallenges).toEqual(['POST /token'])
  })

  it('getAuthHeaders and createAuthFetch: Authorization DPoP with a proof for the method, URL and token', async () => {
    const auth = await signIn()
    const headers = await auth.getAuthHeaders(`${ISSUER}/me?x=1`, { method: 'get' })
    const token = storedSession()!.accessToken
    expect(headers.authorization).toBe(`DPoP ${token}`)
    expect(decodeJwt(headers.dpop!)).toMatchObject({ htm: 'GET', htu: `${ISSUER}/me` })
    const api = createAuthFetch(auth, { allowedOrigins: [ISSUER], fetch: watched })
    expect(await (await api(`${ISSUER}/me`)).json()).toEqual({ sub: 'alice' })

    // The resource server starts asking for a nonce: one retry, then it works.
    op.dpop.requireNonce = true
    op.dpop.nonce = 'rs-nonce'
    const res = await api(`${ISSUER}/me`)
    expect(res.status).toBe(200)
    expect(op.nonceChallenges).toEqual(['GET /me'])
  })

  it('a provider that ignores proofs: sign-in works with Bearer tokens, used as Bearer', async () => {
    op.dpop.enabled = false
    const auth = await signIn()
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(storedSession()!.tokenType).toBe('bearer')
    expect((await auth.getAuthHeaders(`${ISSUER}/me`)).authorization).toMatch(/^Bearer /)
    const api = createAuthFetch(auth, { allowedOrigins: [ISSUER], fetch: watched })
    expect(await (await api(`${ISSUER}/me`)).json()).toEqual({ sub: 'alice' })
    expect(proofsTo).not.toContain('GET /me')
  })

  it('a session whose key is gone ends once with ERR_DPOP_KEY, and no refresh is tried', async () => {
    // A custom store: the key lives in the side store, which the browser may clear on its own.
    const storage = createMemoryStorage()
    const auth = await signIn({ storage })
    const keyId = (await storage.get<{ dpopKey: string }>(`tk:${CLIENT_ID}@${ISSUER}/:session`))!.dpopKey
    expect(await get(keySlot(keyId), sideStore)).toBeDefined()
    await del(keySlot(keyId), sideStore)
    auth.stop()
    const calls = op.calls.length
    const next = createAuthClient(options({ storage }))
    await next.start()
    expect(next.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_DPOP_KEY' } })
    expect(await storage.get(`tk:${CLIENT_ID}@${ISSUER}/:session`)).toBeUndefined()
    expect(op.calls.length).toBe(calls)
    const again = createAuthClient(options({ storage }))
    await again.start()
    expect(again.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: null })
  })

  it('logout deletes the key; a new sign-in gets a new key', async () => {
    const storage = createMemoryStorage()
    const auth = await signIn({ storage })
    const first = (await storage.get<{ dpopKey: string }>(`tk:${CLIENT_ID}@${ISSUER}/:session`))!.dpopKey
    expect(await get(keySlot(first), sideStore)).toBeDefined()
    await auth.logout({ localOnly: true })
    expect(await get(keySlot(first), sideStore)).toBeUndefined()
    await signIn({ storage })
    const second = (await storage.get<{ dpopKey: string }>(`tk:${CLIENT_ID}@${ISSUER}/:session`))!.dpopKey
    expect(second).not.toBe(first)
  })

  it('a session found expired at start (nothing to renew it) is forgotten with its key', async () => {
    op.issueRefreshTokens = false
    op.accessTokenTtl = 1
    const storage = createMemoryStorage()
    const auth = await signIn({ storage })
    const keyId = (await storage.get<{ dpopKey: string }>(`tk:${CLIENT_ID}@${ISSUER}/:session`))!.dpopKey
    auth.stop()
    expect(await get(keySlot(keyId), sideStore)).toBeDefined()
    const later = createAuthClient(options({ storage, now: () => Date.now() + 5_000 }))
    await later.start()
    expect(later.getSnapshot().status).toBe('unauthenticated')
    expect(await get(keySlot(keyId), sideStore)).toBeUndefined()
  })

  it('off (default): no proofs, no dpop_jkt, Bearer tokens', async () => {
    const auth = await signIn({ protocol: {} })
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(new URL(lastAuthorization).searchParams.has('dpop_jkt')).toBe(false)
    expect(proofsTo).toEqual([])
    expect(storedSession()).toMatchObject({ tokenType: 'bearer' })
    expect(storedSession()!.dpopKey).toBeUndefined()
    expect((await auth.getAuthHeaders(`${ISSUER}/me`)).dpop).toBeUndefined()
  })

  it('rejects a non-boolean protocol.dpop', () => {
    expect(() => create(options({ protocol: { dpop: true as unknown as DPoPProofs } }))).toThrow(/protocol\.dpop.*dpopProofs\(\)/)
  })
})
