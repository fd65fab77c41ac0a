// Typed authorization options at the protocol level: what the request carries, what the
// transaction remembers, and what the code exchange, refresh and userinfo flows then enforce.
import type * as oauth from 'oauth4webapi'
import { beforeEach, describe, expect, it } from 'vitest'
import { checkAuthorizationOptions, checkAuthorizationParams } from './loginOptions'
import { AuthError } from '../errors'
import type { Session } from '../session/session'
import { withUserinfo } from './tokens'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from '../test/fakeProvider'
import { createAuthorizationRequest, parseTransaction, type AuthorizeParams, type Transaction } from './flows/authorize'
import { exchangeCode } from './flows/callback'
import { discover } from './flows/discovery'
import type { HttpOptions } from './flows/http'
import { refreshGrant } from './flows/refresh'
import { userinfoKit } from './userinfo'
import { fetchUserinfo as fetchWithKit, userClaims } from './userinfoRequest'

const fetchUserinfo = (...args: Parameters<typeof fetchWithKit> extends [...infer A, unknown] ? A : never) => fetchWithKit(...args, userinfoKit(undefined))

const client: oauth.Client = { client_id: CLIENT_ID }
const redirectUri = 'https://app.example/callback'
const API = 'https://api.example.test/'
const BILLING = 'https://billing.example.test/v1'

let op: FakeProvider
let http: HttpOptions
let as: oauth.AuthorizationServer

beforeEach(async () => {
  op = await createFakeProvider()
  http = { fetch: op.fetch, timeoutMs: 10_000, allowHttp: false }
  as = await discover(new URL(ISSUER), http)
})

function begin(extra: Partial<AuthorizeParams> = {}) {
  return createAuthorizationRequest(as, {
    clientId: CLIENT_ID,
    redirectUri,
    scope: 'openid profile',
    mode: 'redirect',
    now: Date.now(),
    ttlMs: 600_000,
    ...extra,
  })
}

/** Runs the request through the fake provider and exchanges the code. */
async function signIn(tx: Transaction, url: URL) {
  return exchangeCode(as, client, http, tx, new URL(op.authorize(url.href)))
}

const nowS = () => Math.floor(Date.now() / 1000)

describe('checkAuthorizationOptions', () => {
  it('returns lists as arrays and leaves out what was not given', () => {
    expect(checkAuthorizationOptions('login', { prompt: 'login', maxAgeS: 0, acrValues: 'urn:mfa', uiLocales: ['de', 'en'], resource: API })).toEqual({
      prompt: 'login',
      maxAgeS: 0,
      acrValues: ['urn:mfa'],
      uiLocales: ['de', 'en'],
      resource: [API],
    })
    expect(checkAuthorizationOptions('login', undefined)).toEqual({})
  })

  it.each([
    [{ prompt: 'always' }, 'login.prompt'],
    [{ maxAgeS: -1 }, 'login.maxAgeS'],
    [{ maxAgeS: 1.5 }, 'login.maxAgeS'],
    [{ maxAgeS: '60' }, 'login.maxAgeS'],
    [{ acrValues: 'two words' }, 'login.acrValues'],
    [{ acrValues: [] }, 'login.acrValues'],
    [{ uiLocales: [''] }, 'login.uiLocales'],
    [{ loginHint: '' }, 'login.loginHint'],
    [{ resource: 'api' }, 'login.resource'],
    [{ resource: [`${API}#frag`] }, 'login.resource'],
  ])('refuses %j with a TypeError naming %s', (bad, name) => {
    expect(() => checkAuthorizationOptions('login', bad as never)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringContaining(`"${name}"`) }))
  })

  it('authorizationParams take strings and arrays of strings only', () => {
    expect(checkAuthorizationParams('authorizationParams', { audience: 'a', resource: [API, BILLING] })).toEqual({ audience: 'a', resource: [API, BILLING] })
    expect(() => checkAuthorizationParams('authorizationParams', { max_age: 0 })).toThrow(/"authorizationParams.max_age"/)
  })
})

describe('createAuthorizationRequest with typed options', () => {
  it('sends prompt, max_age, acr_values, login_hint, ui_locales and every resource', async () => {
    const { url, transaction } = await begin({
      authorization: checkAuthorizationOptions('login', {
        prompt: 'select_account',
        maxAgeS: 300,
        acrValues: ['urn:mfa', 'urn:pwd'],
        loginHint: 'alice@example.test',
        uiLocales: ['de-CH', 'en'],
        resource: [API, BILLING],
      }),
    })
    const p = url.searchParams
    expect(p.get('prompt')).toBe('select_account')
    expect(p.get('max_age')).toBe('300')
    expect(p.get('acr_values')).toBe('urn:mfa urn:pwd')
    expect(p.get('login_hint')).toBe('alice@example.test')
    expect(p.get('ui_locales')).toBe('de-CH en')
    expect(p.getAll('resource')).toEqual([API, BILLING])
    expect(transaction).toMatchObject({ maxAgeS: 300, acrValues: ['urn:mfa', 'urn:pwd'], resource: [API, BILLING] })
  })

  it('repeats array-valued extra parameters; typed options replace raw ones of the same name; protected ones stay', async () => {
    const { url, transaction } = await begin({
      extraParams: { resource: [API, BILLING], prompt: 'consent', audience: 'x', state: 'forged', max_age: '60' },
      authorization: { prompt: 'login' },
    })
    const p = url.searchParams
    expect(p.getAll('resource')).toEqual([API, BILLING])
    expect(p.getAll('prompt')).toEqual(['login'])
    expect(p.get('audience')).toBe('x')
    expect(p.get('state')).not.toBe('forged')
    expect(p.getAll('state')).toHaveLength(1)
    // A raw max_age is checked like a typed one; a raw acr_values would be a hint only.
    expect(transaction).toMatchObject({ maxAgeS: 60, resource: [API, BILLING] })
    expect(transaction.acrValues).toBeUndefined()
  })

  it('keeps appState in the transaction only, never in the URL; the transaction survives JSON', async () => {
    const appState = { to: '/orders/7', filters: ['open'], n: 3 }
    const { url, transaction } = await begin({ appState })
    expect(url.href).not.toContain('orders')
    const restored = parseTransaction(JSON.parse(JSON.stringify(transaction)))
    expect(restored?.appState).toEqual(appState)
    expect(parseTransaction({ ...transaction, resource: 'not-a-list' })).toBeUndefined()
    expect(parseTransaction({ ...transaction, maxAgeS: '60' })).toBeUndefined()
  })

  it('sends nothing extra by default', async () => {
    const { url, transaction } = await begin()
    for (const name of ['prompt', 'max_age', 'acr_values', 'login_hint', 'ui_locales', 'resource']) expect(url.searchParams.has(name)).toBe(false)
    expect(Object.keys(transaction).sort()).toEqual(['codeVerifier', 'expiresAt', 'mode', 'nonce', 'redirectUri', 'state'])
  })
})

describe('exchangeCode checks what the login asked for', () => {
  it('max_age: a recent auth_time signs in', async () => {
    op.idTokenClaims = { auth_time: nowS() - 10 }
    const { url, transaction } = await begin({ authorization: { maxAgeS: 60 } })
    const { claims } = await signIn(transaction, url)
    expect(claims?.auth_time).toBe(nowS() - 10)
  })

  it('max_age: an auth_time older than asked is ERR_ID_TOKEN', async () => {
    op.idTokenClaims = { auth_time: nowS() - 3600 }
    const { url, transaction } = await begin({ authorization: { maxAgeS: 60 } })
    await expect(signIn(transaction, url)).rejects.toMatchObject({ code: 'ERR_ID_TOKEN', message: expect.stringMatching(/authentication/) })
  })

  it('max_age: an ID token without auth_time is ERR_ID_TOKEN', async () => {
    const { url, transaction } = await begin({ authorization: { maxAgeS: 0 } })
    await expect(signIn(transaction, url)).rejects.toMatchObject({ code: 'ERR_ID_TOKEN', message: expect.stringMatching(/auth_time/) })
  })

  it('without max_age an old auth_time is fine', async () => {
    op.idTokenClaims = { auth_time: nowS() - 30 * 86_400 }
    const { url, transaction } = await begin()
    await expect(signIn(transaction, url)).resolves.toBeTruthy()
  })

  it('acrValues: an acr that was asked for signs in', async () => {
    op.idTokenClaims = { acr: 'urn:pwd' }
    const { url, transaction } = await begin({ authorization: { acrValues: ['urn:mfa', 'urn:pwd'] } })
    const { claims } = await signIn(transaction, url)
    expect(claims?.acr).toBe('urn:pwd')
  })

  it('acrValues: another acr, or none, is ERR_ACR_MISMATCH', async () => {
    op.idTokenClaims = { acr: 'urn:pwd' }
    let { url, transaction } = await begin({ authorization: { acrValues: ['urn:mfa'] } })
    const error = await signIn(transaction, url).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'ERR_ACR_MISMATCH', message: expect.stringContaining('"urn:pwd"') })
    op.idTokenClaims = {}
    ;({ url, transaction } = await begin({ authorization: { acrValues: ['urn:mfa'] } }))
    await expect(signIn(transaction, url)).rejects.toMatchObject({ code: 'ERR_ACR_MISMATCH', message: expect.stringContaining('no acr') })
  })

  it('acr_values as a raw parameter is a hint: not checked', async () => {
    const { url, transaction } = await begin({ extraParams: { acr_values: 'idp:corp' } })
    await expect(signIn(transaction, url)).resolves.toBeTruthy()
  })

  it('resource: every value goes with the code, and with the refresh', async () => {
    const { url, transaction } = await begin({ authorization: { resource: [API, BILLING] } })
    const { tokens } = await signIn(transaction, url)
    expect(op.tokenRequests[0]!.getAll('resource')).toEqual([API, BILLING])
    await refreshGrant(as, client, http, tokens.refresh_token!, undefined, transaction.resource)
    expect(op.tokenRequests[1]!.get('grant_type')).toBe('refresh_token')
    expect(op.tokenRequests[1]!.getAll('resource')).toEqual([API, BILLING])
  })

  it('no resource: the token requests carry none', async () => {
    const { url, transaction } = await begin()
    const { tokens } = await signIn(transaction, url)
    await refreshGrant(as, client, http, tokens.refresh_token!)
    expect(op.tokenRequests.map((b) => b.has('resource'))).toEqual([false, false])
  })
})

describe('fetchUserinfo', () => {
  async function accessToken() {
    const { url, transaction } = await begin()
    return (await signIn(transaction, url)).tokens.access_token
  }

  it('returns the claims when sub matches the ID token', async () => {
    op.userinfoClaims = { email: 'alice@example.test', picture: 'https://img.example/a.png' }
    await expect(fetchUserinfo(as, client, http, await accessToken(), 'alice')).resolves.toEqual({
      sub: 'alice',
      email: 'alice@example.test',
      picture: 'https://img.example/a.png',
    })
  })

  it('refuses a response for another sub (OIDC Core 5.3.2) as ERR_USERINFO', async () => {
    op.userinfoClaims = { sub: 'mallory' }
    await expect(fetchUserinfo(as, client, http, await accessToken(), 'alice')).rejects.toMatchObject({ code: 'ERR_USERINFO' })
  })

  it('a 401 is ERR_USERINFO with the status; no endpoint or no sub is ERR_USERINFO', async () => {
    const token = await accessToken()
    op.invalidateAccessTokens()
    await expect(fetchUserinfo(as, client, http, token, 'alice')).rejects.toMatchObject({ code: 'ERR_USERINFO', status: 401 })
    await expect(fetchUserinfo(as, client, http, token, undefined)).rejects.toMatchObject({ code: 'ERR_USERINFO' })
    const { userinfo_endpoint: _, ...without } = as
    await expect(fetchUserinfo(without, client, http, token, 'alice')).rejects.toMatchObject({ code: 'ERR_USERINFO', message: expect.stringMatching(/userinfo_endpoint/) })
  })

  it('an unreachable endpoint is ERR_NETWORK', async () => {
    const token = await accessToken()
    op.override('/me', () => Promise.reject(new TypeError('Failed to fetch')))
    await expect(fetchUserinfo(as, client, http, token, 'alice')).rejects.toMatchObject({ code: 'ERR_NETWORK' })
  })
})

describe('userinfo claims on the session', () => {
  it('add and update user claims, never the claims about the authentication', () => {
    const id = { sub: 'alice', iss: ISSUER, aud: CLIENT_ID, exp: 1, auth_time: 2, acr: 'urn:mfa', name: 'Alice' }
    const session = { v: 1, accessToken: 'a', tokenType: 'bearer', expiresAt: 1, claims: id, seq: 1 } as Session
    const userinfo = userClaims({ sub: 'alice', name: 'Alice A.', email: 'a@x', iss: 'https://evil', acr: 'urn:none', auth_time: 99 })
    expect(userinfo).toEqual({ sub: 'alice', name: 'Alice A.', email: 'a@x' })
    // The ID token's claims stay as they were (getIdTokenClaims); `user` merges userinfo over them (store.ts).
    expect(withUserinfo(session, userinfo)).toEqual({ ...session, userinfo })
  })
})
