// Every bad answer of the authorization and token endpoints becomes a typed AuthError, and
// answers that differ from provider to provider but are allowed are accepted.
import { SignJWT, generateKeyPair } from 'jose'
import type * as oauth from 'oauth4webapi'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AuthError } from '../../errors'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from '../../test/fakeProvider'
import { createAuthorizationRequest, type Transaction } from './authorize'
import { MAX_IAT_SKEW_S, exchangeCode, type CodeExchangeResult } from './callback'
import { discover } from './discovery'
import type { HttpOptions } from './http'
import { refreshGrant } from './refresh'

const client: oauth.Client = { client_id: CLIENT_ID }
const redirectUri = 'https://app.example/callback'
const ACCESS_TOKEN = 'at-secret-0123456789'
const REFRESH_TOKEN = 'rt-secret-0123456789'

let op: FakeProvider
let http: HttpOptions
let key: CryptoKey

beforeAll(async () => {
  key = (await generateKeyPair('RS256')).privateKey
})

async function setUp(metadata: Record<string, unknown> = {}) {
  op = await createFakeProvider(metadata)
  http = { fetch: op.fetch, timeoutMs: 10_000, allowHttp: false }
  return discover(new URL(ISSUER), http)
}

beforeEach(async () => {
  await setUp()
})

async function begin(as: oauth.AuthorizationServer): Promise<{ tx: Transaction; url: string }> {
  const { url, transaction } = await createAuthorizationRequest(as, {
    clientId: CLIENT_ID,
    redirectUri,
    scope: 'openid profile',
    mode: 'redirect',
    now: Date.now(),
    ttlMs: 600_000,
  })
  return { tx: transaction, url: url.href }
}

const now = () => Math.floor(Date.now() / 1000)

/** An ID token for `nonce`, with claims and header changed as a tampering provider would. */
function idToken(nonce: string | undefined, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  return new SignJWT({ sub: 'alice', name: 'Alice', ...(nonce ? { nonce } : {}), iss: ISSUER, aud: CLIENT_ID, iat: now(), exp: now() + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header })
    .sign(key)
}

const b64 = (v: unknown) => btoa(JSON.stringify(v)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const tokenJson = (extra: Record<string, unknown>) =>
  Response.json({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300, refresh_token: REFRESH_TOKEN, ...extra })

/** Runs a login whose token endpoint answers with `answer(tx)`; resolves to the error, if any. */
async function exchangeWith(answer: (tx: Transaction) => Response | Promise<Response>, as?: oauth.AuthorizationServer) {
  const server = as ?? (await discover(new URL(ISSUER), http))
  const { tx, url } = await begin(server)
  op.override('/token', () => answer(tx))
  return exchangeCode(server, client, http, tx, new URL(op.authorize(url))).then(
    (r) => r,
    (e: unknown) => e as AuthError,
  )
}

function expectNoTokens(error: AuthError): void {
  for (const token of [ACCESS_TOKEN, REFRESH_TOKEN]) {
    expect(error.message).not.toContain(token)
    expect(JSON.stringify(error)).not.toContain(token)
    expect(JSON.stringify((error.cause as { cause?: unknown } | undefined)?.cause ?? null)).not.toContain(token)
  }
}

describe('ID token checks give ERR_ID_TOKEN', () => {
  it('accepts a well-formed ID token (the baseline the cases below break)', async () => {
    const result = await exchangeWith(async (tx) => tokenJson({ id_token: await idToken(tx.nonce) }))
    expect(result).not.toBeInstanceOf(Error)
    expect((result as CodeExchangeResult).claims?.sub).toBe('alice')
  })

  const cases: [string, (nonce: string | undefined) => Promise<string>][] = [
    ['a wrong nonce', () => idToken('another-nonce')],
    ['a missing nonce', () => idToken(undefined)],
    ['a wrong aud', (n) => idToken(n, { aud: 'another-client' })],
    ['a wrong iss', (n) => idToken(n, { iss: 'https://evil.example' })],
    ['several audiences without azp', (n) => idToken(n, { aud: [CLIENT_ID, 'another-client'] })],
    ['several audiences with another azp', (n) => idToken(n, { aud: [CLIENT_ID, 'another-client'], azp: 'another-client' })],
    ['an expired token', (n) => idToken(n, { iat: now() - 7200, exp: now() - 3600 })],
    ['an iat too far in the future', (n) => idToken(n, { iat: now() + MAX_IAT_SKEW_S + 600, exp: now() + 7200 })],
    ['alg: none', async (n) => `${b64({ alg: 'none' })}.${b64({ sub: 'alice', nonce: n, iss: ISSUER, aud: CLIENT_ID, iat: now(), exp: now() + 3600 })}.`],
    ['an HS256 token (alg not advertised)', (n) => new SignJWT({ sub: 'alice', nonce: n }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('1h').sign(new Uint8Array(32))],
    ['a token that is no JWT', async () => 'not-a-jwt'],
  ]
  for (const [name, make] of cases) {
    it(`rejects ${name}`, async () => {
      const error = await exchangeWith(async (tx) => tokenJson({ id_token: await make(tx.nonce) }))
      expect(error).toBeInstanceOf(AuthError)
      expect(error).toMatchObject({ code: 'ERR_ID_TOKEN' })
      expectNoTokens(error as AuthError)
    })
  }

  it('accepts several audiences when azp names this client', async () => {
    const result = await exchangeWith(async (tx) => tokenJson({ id_token: await idToken(tx.nonce, { aud: [CLIENT_ID, 'api'], azp: CLIENT_ID }) }))
    expect(result).not.toBeInstanceOf(Error)
  })

  it('accepts an iat a little in the future (a client clock running late)', async () => {
    const result = await exchangeWith(async (tx) => tokenJson({ id_token: await idToken(tx.nonce, { iat: now() + 60 }) }))
    expect(result).not.toBeInstanceOf(Error)
  })

  it('regression (iat read Date.now): the ID token time checks read the injected clock', async () => {
    const hourAhead = { ...http, now: () => Date.now() + 3600_000 }
    const hourBehind = { ...http, now: () => Date.now() - 3600_000 }
    // Issued "now" by the system clock: an hour in the future for a client whose clock is an hour behind...
    const run = async (h: HttpOptions) => {
      const server = await discover(new URL(ISSUER), h)
      const { tx, url } = await begin(server)
      op.override('/token', async () => tokenJson({ id_token: await idToken(tx.nonce, { exp: now() + 1800 }) }))
      return exchangeCode(server, client, h, tx, new URL(op.authorize(url))).catch((e: unknown) => e as AuthError)
    }
    expect(await run(hourBehind)).toMatchObject({ code: 'ERR_ID_TOKEN', message: expect.stringContaining('iat') })
    // ...and expired (exp in 30 min) for one whose clock is an hour ahead.
    expect(await run(hourAhead)).toMatchObject({ code: 'ERR_ID_TOKEN' })
    expect(await run({ ...http, now: Date.now })).not.toBeInstanceOf(Error)
  })

  it('a JWT that is not even a JWT does not put the raw token on the error', async () => {
    const error = (await exchangeWith(() => tokenJson({ id_token: `${ACCESS_TOKEN}.x` }))) as AuthError
    expect(error.code).toBe('ERR_ID_TOKEN')
    expect(String(error.cause && (error.cause as Error).cause)).not.toContain(ACCESS_TOKEN)
  })
})

describe('token endpoint answers that are not token responses give ERR_TOKEN_RESPONSE', () => {
  const cases: [string, () => Response, number?][] = [
    ['HTML with status 200', () => new Response('<html><body>Welcome</body></html>', { status: 200, headers: { 'content-type': 'text/html' } })],
    ['a 500 with an HTML page', () => new Response('<h1>Internal Server Error</h1>', { status: 500, headers: { 'content-type': 'text/html' } }), 500],
    ['invalid JSON', () => new Response('{"access_token": ', { status: 200, headers: { 'content-type': 'application/json' } })],
    ['JSON without access_token', () => Response.json({ token_type: 'Bearer', expires_in: 300 })],
    ['an unknown token_type', () => Response.json({ access_token: ACCESS_TOKEN, token_type: 'mac', refresh_token: REFRESH_TOKEN })],
    ['an error with an empty body', () => new Response(null, { status: 400 }), 400],
    ['an OAuth error (replayed code)', () => Response.json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, { status: 400 }), 400],
  ]
  for (const [name, answer, status] of cases) {
    it(`rejects ${name}`, async () => {
      const error = await exchangeWith(answer)
      expect(error).toBeInstanceOf(AuthError)
      expect(error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE', ...(status ? { status } : {}) })
      expectNoTokens(error as AuthError)
    })
  }

  it('an unknown token_type leaves no token in the cause chain', async () => {
    const error = (await exchangeWith(() => Response.json({ access_token: ACCESS_TOKEN, token_type: 'mac', refresh_token: REFRESH_TOKEN }))) as AuthError
    const cause = error.cause as { cause?: { body?: Record<string, unknown> } }
    expect(cause.cause?.body?.token_type).toBe('mac')
    expect(JSON.stringify(cause.cause)).not.toContain(ACCESS_TOKEN)
    expect(JSON.stringify(cause.cause)).not.toContain(REFRESH_TOKEN)
  })
})

describe('RFC 9207 iss in the authorization response', () => {
  async function callback(as: oauth.AuthorizationServer, iss: string | null) {
    const { tx, url } = await begin(as)
    return exchangeCode(as, client, http, tx, new URL(op.authorize(url, { iss }))).then(
      (r) => r,
      (e: unknown) => e as AuthError,
    )
  }

  it('advertised: a missing or different iss is rejected before any token request', async () => {
    const as = await discover(new URL(ISSUER), http)
    expect(await callback(as, null)).toMatchObject({ code: 'ERR_CALLBACK_INVALID' })
    expect(await callback(as, 'https://evil.example')).toMatchObject({ code: 'ERR_CALLBACK_INVALID' })
    expect(op.calls.filter((c) => c.endsWith('/token'))).toEqual([])
    expect(await callback(as, ISSUER)).not.toBeInstanceOf(Error)
  })

  it('not advertised: iss is still checked when sent, accepted when right, and may be absent', async () => {
    const as = await setUp({ authorization_response_iss_parameter_supported: undefined })
    expect(as.authorization_response_iss_parameter_supported).toBeUndefined()
    expect(await callback(as, 'https://evil.example')).toMatchObject({ code: 'ERR_CALLBACK_INVALID' })
    expect(await callback(as, ISSUER)).not.toBeInstanceOf(Error)
    expect(await callback(as, null)).not.toBeInstanceOf(Error)
  })
})

describe('refresh responses that differ between providers', () => {
  const refreshWith = async (answer: () => Response | Promise<Response>) => {
    const as = await discover(new URL(ISSUER), http)
    op.override('/token', answer)
    return refreshGrant(as, client, http, 'rt-old').then(
      (r) => r,
      (e: unknown) => e as AuthError,
    )
  }

  it('no refresh_token and no id_token: the result has neither (the session keeps the old ones)', async () => {
    const result = await refreshWith(() => Response.json({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300 }))
    expect(result).toMatchObject({ tokens: { access_token: ACCESS_TOKEN }, claims: undefined })
    expect((result as CodeExchangeResult).tokens.refresh_token).toBeUndefined()
  })

  it('a refreshed ID token issued in the future is refused as ERR_ID_TOKEN (not a dead session)', async () => {
    const error = await refreshWith(async () => tokenJson({ id_token: await idToken(undefined, { iat: now() + MAX_IAT_SKEW_S + 600, exp: now() + 7200 }) }))
    expect(error).toMatchObject({ code: 'ERR_ID_TOKEN' })
  })

  it('regression (Retry-After ignored): 429 and 503 carry the provider\'s Retry-After, in seconds or as an HTTP-date', async () => {
    const fixed = Date.UTC(2026, 0, 1)
    http = { ...http, now: () => fixed }
    const retry = (status: number, value: string, body: string | null = null) =>
      refreshWith(() => new Response(body, { status, headers: { 'retry-after': value, ...(body ? { 'content-type': 'application/json' } : {}) } }))
    expect(await retry(429, '10')).toMatchObject({ code: 'ERR_REFRESH_FAILED', status: 429, retryAfterMs: 10_000 })
    expect(await retry(503, new Date(fixed + 20_000).toUTCString(), '{"error":"temporarily_unavailable"}')).toMatchObject({
      code: 'ERR_REFRESH_FAILED',
      status: 503,
      retryAfterMs: 20_000,
    })
    // Only where it means "come back later".
    expect(((await retry(500, '10')) as AuthError).retryAfterMs).toBeUndefined()
  })

  it('an error with an empty body: 400 ends the session, 503 is transient', async () => {
    expect(await refreshWith(() => new Response(null, { status: 400 }))).toMatchObject({ code: 'ERR_SESSION_EXPIRED', status: 400 })
    expect(await refreshWith(() => new Response(null, { status: 503 }))).toMatchObject({ code: 'ERR_REFRESH_FAILED', status: 503 })
    expect(await refreshWith(() => new Response('', { status: 500, headers: { 'content-type': 'application/json' } }))).toMatchObject({
      code: 'ERR_REFRESH_FAILED',
    })
  })
})
