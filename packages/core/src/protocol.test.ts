// The `protocol` option: ID token signature checks (jose, opt-in) and pushed authorization
// requests (RFC 9126), through the whole client against the in-memory provider.
import { UnsecuredJWT } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { createAuthClient as create } from './client'
import { AuthError, authError } from './errors'
import { allowedAlgorithms, createIdTokenSignatureCheck } from './protocol/flows/idTokenSignature'
import { popupLogin } from './popup/popupLogin'
import { FakeBroadcastChannel } from './test/fakeChannel'
import { CLIENT_ID, ISSUER } from './test/fakeProvider'
import { assigned, op, useFakeProvider } from './test/harness'
import { popupResponseMessage, POPUP_CHANNEL } from './popup/message'

const { options, createAuthClient, signIn: redirectLogin, replaceProvider } = useFakeProvider()

const verifyOn = { protocol: { verifySignature: true } } as const
const sessionKeys = () => Object.keys(sessionStorage).filter((k) => k.endsWith(':session'))
const txKeys = () => Object.keys(sessionStorage).filter((k) => k.includes(':tx:'))

describe('ID token signature verification', () => {
  it('is off by default: no key set request, and a token signed with an unpublished key is not checked', async () => {
    op.signWith = 'foreign'
    const auth = await redirectLogin()
    expect(auth.getSnapshot().status).toBe('authenticated')
    expect(op.calls).not.toContain('GET /jwks')
  })

  it('on: a correctly signed ID token signs in, the key set fetched once through the injected fetch', async () => {
    const auth = await redirectLogin(verifyOn)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' }, error: null })
    expect(op.calls.filter((c) => c === 'GET /jwks')).toHaveLength(1)
  })

  it('on: a bad signature is ERR_ID_TOKEN, nothing is stored and the callback URL is cleaned', async () => {
    op.signWith = 'foreign'
    const auth = await redirectLogin(verifyOn)
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_ID_TOKEN' } })
    expect(auth.getSnapshot().error?.message).toMatch(/signature/)
    expect(sessionKeys()).toEqual([])
    expect(txKeys()).toEqual([])
    expect(location.search).toBe('')
  })

  it('on: a refreshed ID token with a bad signature is ERR_ID_TOKEN and the stored session stays as it was', async () => {
    const auth = await redirectLogin(verifyOn)
    const stored = sessionStorage.getItem(sessionKeys()[0]!)
    const token = await auth.getAccessToken()
    op.sendIdTokenOnRefresh = true
    op.signWith = 'foreign'
    // The old token is still valid, so the caller gets it; the failure shows on the snapshot.
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toBe(token)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', warning: { code: 'ERR_ID_TOKEN' } })
    expect(sessionStorage.getItem(sessionKeys()[0]!)).toBe(stored)
  })

  it('on: a correctly signed refreshed ID token is accepted', async () => {
    const auth = await redirectLogin(verifyOn)
    const token = await auth.getAccessToken()
    op.sendIdTokenOnRefresh = true
    const renewed = await auth.getAccessToken({ forceRefresh: true })
    expect(renewed).not.toBe(token)
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('on: a key set that gets no answer is ERR_NETWORK and nothing is stored', async () => {
    op.override('/jwks', () => Promise.reject(new TypeError('Failed to fetch')))
    const auth = await redirectLogin(verifyOn)
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_NETWORK' } })
    expect(sessionKeys()).toEqual([])
  })

  it('on: the key set request is aborted after http.timeoutMs', async () => {
    op.override('/jwks', (req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason))))
    const auth = await redirectLogin({ ...verifyOn, http: { timeoutMs: 50 } })
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_NETWORK' } })
  })

  it('on: metadata without jwks_uri cannot verify: ERR_ID_TOKEN', async () => {
    await replaceProvider({ jwks_uri: undefined })
    const auth = await redirectLogin(verifyOn)
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_ID_TOKEN' } })
    expect(sessionKeys()).toEqual([])
  })

  it('refuses alg "none" and an algorithm the provider does not advertise', async () => {
    const http = { fetch: op.fetch, timeoutMs: 5_000, allowHttp: false }
    const as = { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, id_token_signing_alg_values_supported: ['RS256', 'none'] }
    const check = createIdTokenSignatureCheck(CLIENT_ID, http, authError)
    const unsigned = new UnsecuredJWT({ sub: 'alice' }).setIssuer(ISSUER).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('1h').encode()
    await expect(check(as, unsigned)).rejects.toMatchObject({ name: 'AuthError', code: 'ERR_ID_TOKEN' })

    // The fake signs RS256; a provider that advertises only ES256 must not have it accepted.
    op.sendIdTokenOnRefresh = true
    const auth = await redirectLogin(verifyOn)
    expect(auth.getSnapshot().status).toBe('authenticated')
    const idToken = JSON.parse(sessionStorage.getItem(sessionKeys()[0]!)!).idToken as string
    const es256Only = { ...as, id_token_signing_alg_values_supported: ['ES256'] }
    await expect(createIdTokenSignatureCheck(CLIENT_ID, http, authError)(es256Only, idToken)).rejects.toMatchObject({
      code: 'ERR_ID_TOKEN',
      message: expect.stringMatching(/algorithm/),
    })
    await expect(check(as, idToken)).resolves.toBeUndefined()
  })

  it('allows the advertised algorithms without "none", RS256 when none are listed', () => {
    expect(allowedAlgorithms({ issuer: ISSUER, id_token_signing_alg_values_supported: ['RS256', 'none', 'ES256'] })).toEqual(['RS256', 'ES256'])
    expect(allowedAlgorithms({ issuer: ISSUER, id_token_signing_alg_values_supported: ['none'] })).toEqual(['RS256'])
    expect(allowedAlgorithms({ issuer: ISSUER, id_token_signing_alg_values_supported: [] })).toEqual(['RS256'])
    expect(allowedAlgorithms({ issuer: ISSUER })).toEqual(['RS256'])
  })

  it('refuses a plain-http jwks_uri for an https issuer', async () => {
    const check = createIdTokenSignatureCheck(CLIENT_ID, { fetch: op.fetch, timeoutMs: 5_000, allowHttp: false }, authError)
    await expect(check({ issuer: ISSUER, jwks_uri: 'http://op.example.test/jwks' }, 'x.y.z')).rejects.toMatchObject({ code: 'ERR_ID_TOKEN' })
    expect(op.calls).toEqual([])
  })

  it('validates the option when the protocol loads: login() rejects naming it, before any request', async () => {
    await expect(create(options({ protocol: { verifySignature: 'yes' as unknown as boolean } })).login()).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_OPTION',
      message: expect.stringContaining('protocol.verifySignature'),
    })
    expect(op.calls).toEqual([])
  })
})

describe('pushed authorization requests (RFC 9126)', () => {
  it("'auto' (default) sends the parameters in the URL when the provider does not require PAR", async () => {
    await createAuthClient(options()).login()
    const url = new URL(assigned[0]!)
    expect(url.searchParams.get('code_challenge')).toBeTruthy()
    expect(url.searchParams.has('request_uri')).toBe(false)
    expect(op.calls).not.toContain('POST /par')
  })

  it('is used automatically when the metadata requires it: the URL carries only client_id and request_uri', async () => {
    await replaceProvider({ require_pushed_authorization_requests: true })
    const auth = await redirectLogin()
    expect(op.calls).toContain('POST /par')
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
    expect(op.pushed.size).toBe(0) // used once
  })

  it("the pushed request holds PKCE, state, nonce and redirect_uri; the URL holds nothing else", async () => {
    await replaceProvider({ require_pushed_authorization_requests: true })
    await createAuthClient(options({ authorizationParams: { login_hint: 'alice' } })).login()
    const url = new URL(assigned[0]!)
    expect(url.origin + url.pathname).toBe(`${ISSUER}/auth`)
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    const pushed = op.pushed.get(url.searchParams.get('request_uri')!)!
    for (const p of ['state', 'nonce', 'code_challenge', 'redirect_uri', 'scope']) expect(pushed.get(p)).toBeTruthy()
    expect(pushed.get('code_challenge_method')).toBe('S256')
    expect(pushed.get('login_hint')).toBe('alice')
    expect(txKeys()).toEqual([expect.stringContaining(pushed.get('state')!)])
  })

  it("'always' pushes even when the provider does not require it", async () => {
    const auth = await redirectLogin({ protocol: { par: 'always' } })
    expect(op.calls).toContain('POST /par')
    expect(auth.getSnapshot().status).toBe('authenticated')
  })

  it("'always' against a provider without a PAR endpoint is a TypeError naming the option; nothing stored, no navigation", async () => {
    await replaceProvider({ pushed_authorization_request_endpoint: undefined })
    const auth = createAuthClient(options({ protocol: { par: 'always' } }))
    await expect(auth.login()).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringContaining('protocol.par') })
    expect(assigned).toEqual([])
    expect(txKeys()).toEqual([])
  })

  it('a provider that requires PAR but has no endpoint is ERR_DISCOVERY', async () => {
    await replaceProvider({ require_pushed_authorization_requests: true, pushed_authorization_request_endpoint: undefined })
    const auth = createAuthClient(options())
    await expect(auth.login()).rejects.toMatchObject({ name: 'AuthError', code: 'ERR_DISCOVERY' })
    expect(auth.getSnapshot().error).toMatchObject({ code: 'ERR_DISCOVERY' })
    expect(assigned).toEqual([])
  })

  it('a refused pushed request is ERR_AUTHORIZATION with the provider error kept apart; nothing stored, no navigation', async () => {
    op.override('/par', () => Response.json({ error: 'invalid_request', error_description: 'bad scope' }, { status: 400 }))
    const auth = createAuthClient(options({ protocol: { par: 'always' } }))
    const error = (await auth.login().catch((e: unknown) => e)) as AuthError
    expect(error).toMatchObject({ name: 'AuthError', code: 'ERR_AUTHORIZATION', error: 'invalid_request', errorDescription: 'bad scope', status: 400 })
    expect(auth.getSnapshot().error).toBe(error)
    expect(assigned).toEqual([])
    expect(txKeys()).toEqual([])
  })

  it('a pushed request that gets no answer is ERR_NETWORK', async () => {
    op.override('/par', () => Promise.reject(new TypeError('Failed to fetch')))
    const auth = createAuthClient(options({ protocol: { par: 'always' } }))
    await expect(auth.login()).rejects.toMatchObject({ code: 'ERR_NETWORK' })
    expect(assigned).toEqual([])
  })

  it('a PAR answer without request_uri is refused', async () => {
    op.override('/par', () => Response.json({ expires_in: 60 }, { status: 201 }))
    const auth = createAuthClient(options({ protocol: { par: 'always' } }))
    await expect(auth.login()).rejects.toMatchObject({ name: 'AuthError', code: 'ERR_AUTHORIZATION' })
    expect(assigned).toEqual([])
  })

  it('works for popup login: the popup is sent to a URL with only client_id and request_uri', async () => {
    await replaceProvider({ require_pushed_authorization_requests: true })
    FakeBroadcastChannel.reset()
    vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel)
    const navigations: string[] = []
    const win = {
      closed: false,
      location: {
        replace: (url: string) => void navigations.push(url),
        get href(): string {
          throw new DOMException('Blocked a frame', 'SecurityError')
        },
      },
      close() {
        win.closed = true
      },
      focus() {},
      postMessage() {},
    }
    vi.spyOn(window, 'open').mockImplementation(() => win as unknown as Window)
    const popupRedirect = `${location.origin}/popup-callback.html`
    const auth = createAuthClient(options({ popup: popupLogin({ redirectUri: popupRedirect }) }))
    const login = auth.login({ popup: true })
    await vi.waitFor(() => expect(navigations).toHaveLength(1))
    const url = new URL(navigations[0]!)
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(op.pushed.get(url.searchParams.get('request_uri')!)!.get('redirect_uri')).toBe(popupRedirect)
    new FakeBroadcastChannel(POPUP_CHANNEL).postMessage(popupResponseMessage(op.authorize(navigations[0]!)))
    await login
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } })
  })

  it('validates the option when the protocol loads: login() rejects naming it, before any request', async () => {
    await expect(create(options({ protocol: { par: 'sometimes' as 'auto' } })).login()).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_OPTION',
      message: expect.stringContaining('protocol.par'),
    })
    expect(op.calls).toEqual([])
  })
})
