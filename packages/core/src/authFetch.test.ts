// createAuthFetch: where the token goes, what happens on redirects and on a 401 invalid_token.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthFetch } from './authFetch'
import type { AuthClient } from './client'
import { AuthError } from './errors'
import { ISSUER } from './test/fakeProvider'
import { op, useFakeProvider } from './test/harness'

const API = 'https://api.example.com'

interface Sent {
  url: string
  method: string
  authorization: string | null
  headers: Headers
  body: string
  redirect: RequestRedirect
}

let sent: Sent[]
let answers: ((req: Request) => Response | Promise<Response>)[]
let tokens: { current: string; next: string }
let getAccessToken: ReturnType<typeof vi.fn<(o?: { forceRefresh?: boolean }) => Promise<string>>>

const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const req = new Request(input, init)
  sent.push({
    url: req.url,
    method: req.method,
    authorization: req.headers.get('authorization'),
    headers: req.headers,
    body: req.body === null ? '' : await req.text(),
    redirect: init?.redirect ?? req.redirect,
  })
  const answer = answers.shift()
  return answer ? answer(req) : new Response('ok')
}) as typeof fetch

const client = { getAccessToken: (o?: { forceRefresh?: boolean }) => getAccessToken(o) }
const make = (opts: Parameters<typeof createAuthFetch>[1] = {}) => createAuthFetch(client, { allowedOrigins: [API], fetch: fakeFetch, ...opts })
const redirect = (status: number, location: string) => () => new Response(null, { status, headers: { location } })
const invalidToken = () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token"' } })

beforeEach(() => {
  sent = []
  answers = []
  tokens = { current: 'tok-1', next: 'tok-2' }
  getAccessToken = vi.fn(async (o?: { forceRefresh?: boolean }): Promise<string> => {
    if (o?.forceRefresh) tokens.current = tokens.next
    return tokens.current
  })
})

describe('which requests get the token', () => {
  it('same-origin relative URLs get it, and fetch is told not to follow redirects', async () => {
    const res = await make()('/api/orders?x=1')
    expect(await res.text()).toBe('ok')
    expect(sent).toMatchObject([{ url: `${location.origin}/api/orders?x=1`, authorization: 'Bearer tok-1', redirect: 'manual' }])
  })

  it('an allowed origin gets it, for string, URL and Request inputs; method, headers and body are kept', async () => {
    const api = make()
    await api(`${API}/a`)
    await api(new URL(`${API}/b`))
    await api(new Request(`${API}/c`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-trace': '7' }, body: '{"n":1}' }))
    expect(sent.map((s) => [s.url, s.authorization])).toEqual([
      [`${API}/a`, 'Bearer tok-1'],
      [`${API}/b`, 'Bearer tok-1'],
      [`${API}/c`, 'Bearer tok-1'],
    ])
    expect(sent[2]).toMatchObject({ method: 'PUT', body: '{"n":1}' })
    expect(sent[2]!.headers.get('content-type')).toBe('application/json')
    expect(sent[2]!.headers.get('x-trace')).toBe('7')
  })

  it('other origins, look-alikes included, get no token and are sent as they are', async () => {
    const api = make()
    for (const url of [
      'https://evil.example/',
      'https://api.example.com.evil.example/',
      'http://api.example.com/', // scheme differs
      'https://api.example.com:8443/', // port differs
      'https://sub.api.example.com/',
    ]) {
      await api(url, { headers: { authorization: 'Basic mine' } })
    }
    expect(getAccessToken).not.toHaveBeenCalled()
    // The caller's own header is the caller's business when no token is involved.
    expect(sent.every((s) => s.authorization === 'Basic mine' && s.redirect === 'follow')).toBe(true)
  })

  it('non-HTTP URLs never get the token, even blob: URLs of the own origin', async () => {
    const api = make()
    const blobUrl = `blob:${location.origin}/0b6f6c4e-1a4d-4a57-9d51-0d8c6e2f3a11`
    expect(new URL(blobUrl).origin).toBe(location.origin) // why the scheme is checked first
    await api(blobUrl).catch(() => {})
    await api('data:text/plain,hi').catch(() => {})
    expect(getAccessToken).not.toHaveBeenCalled()
    expect(sent.every((s) => s.authorization === null)).toBe(true)
  })

  it('without a session it rejects with the client error and sends nothing', async () => {
    getAccessToken.mockRejectedValueOnce(new AuthError('ERR_LOGIN_REQUIRED', 'Nobody is signed in'))
    await expect(make()(`${API}/x`)).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' })
    expect(sent).toEqual([])
  })

  it('validates allowedOrigins: exact http(s) origins, https unless loopback, no wildcard or path', () => {
    for (const bad of ['https://*.example.com', 'https://api.example.com/v1', 'http://api.example.com', 'ftp://files.example.com', 'api.example.com', '']) {
      expect(() => createAuthFetch(client, { allowedOrigins: [bad] })).toThrow(
        expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringContaining('allowedOrigins') }),
      )
    }
    expect(() => createAuthFetch(client, { allowedOrigins: ['https://api.example.com/', 'http://127.0.0.1:8080', 'http://localhost:3000'] })).not.toThrow()
    expect(() => createAuthFetch(client, { maxRedirects: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(() => createAuthFetch({} as AuthClient)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})

describe('redirects', () => {
  it('follows a redirect within allowed origins itself, with the token on each hop', async () => {
    answers = [redirect(301, '/v2/orders')]
    const res = await make()(`${API}/orders`)
    expect(res.status).toBe(200)
    expect(sent.map((s) => [s.url, s.authorization, s.redirect])).toEqual([
      [`${API}/orders`, 'Bearer tok-1', 'manual'],
      [`${API}/v2/orders`, 'Bearer tok-1', 'manual'],
    ])
  })

  it('drops the token, and any Authorization the caller set, when a redirect leaves the allowed origins', async () => {
    answers = [redirect(307, 'https://evil.example/steal')]
    await make()(`${API}/upload`, { method: 'POST', body: 'data', headers: { authorization: 'Basic mine' } })
    expect(sent).toHaveLength(2)
    expect(sent[0]!.authorization).toBe('Bearer tok-1')
    expect(sent[1]).toMatchObject({ url: 'https://evil.example/steal', authorization: null, method: 'POST', body: 'data' })
    expect(JSON.stringify([...sent[1]!.headers])).not.toContain('tok-1')
  })

  it('re-checks every hop: a redirect chain that comes back to an allowed origin gets the token only there', async () => {
    answers = [redirect(302, 'https://elsewhere.example/a'), redirect(302, `${location.origin}/back`)]
    await make()(`${API}/start`)
    expect(sent.map((s) => s.authorization)).toEqual(['Bearer tok-1', null, 'Bearer tok-1'])
  })

  it('turns POST into GET without a body on 302/303 (Fetch rules), keeps method and body on 307/308', async () => {
    answers = [redirect(303, '/done')]
    await make()(`${API}/form`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(sent[1]).toMatchObject({ url: `${API}/done`, method: 'GET', body: '' })
    expect(sent[1]!.headers.get('content-type')).toBeNull()
    sent = []
    answers = [redirect(308, '/moved')]
    await make()(`${API}/form`, { method: 'PUT', body: 'b=2' })
    expect(sent[1]).toMatchObject({ url: `${API}/moved`, method: 'PUT', body: 'b=2' })
  })

  it('gives up after maxRedirects with a TypeError that names no token', async () => {
    answers = Array.from({ length: 5 }, () => redirect(302, '/loop'))
    const error = (await make({ maxRedirects: 3 })(`${API}/loop`).catch((e: unknown) => e)) as TypeError
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/too many redirects/)
    expect(error.message + JSON.stringify(error)).not.toContain('tok-1')
    expect(sent).toHaveLength(4)
  })

  it("honours the caller's redirect mode: 'manual' returns the redirect, 'error' rejects", async () => {
    answers = [redirect(302, 'https://evil.example/')]
    const res = await make()(`${API}/x`, { redirect: 'manual' })
    expect(res.status).toBe(302)
    answers = [redirect(302, '/y')]
    await expect(make()(`${API}/x`, { redirect: 'error' })).rejects.toBeInstanceOf(TypeError)
    expect(sent).toHaveLength(2)
  })

  it('refuses a redirect to a non-HTTP URL', async () => {
    answers = [redirect(302, 'data:text/html,hi')]
    await expect(make()(`${API}/x`)).rejects.toThrow(/left HTTP/)
    expect(sent).toHaveLength(1)
  })

  it("returns a browser's opaque redirect as it is: where it leads is unknown, so it is not followed", async () => {
    answers = [
      () => {
        const r = new Response(null, { status: 200 })
        Object.defineProperty(r, 'type', { value: 'opaqueredirect' })
        return r
      },
    ]
    const res = await make()(`${API}/x`)
    expect(res.type).toBe('opaqueredirect')
    expect(sent).toHaveLength(1)
  })
})

describe('401 invalid_token', () => {
  it('renews the token once (forceRefresh) and retries with the same method and body', async () => {
    answers = [invalidToken]
    const res = await make()(`${API}/orders`, { method: 'POST', body: 'payload' })
    expect(res.status).toBe(200)
    expect(getAccessToken).toHaveBeenCalledWith({ forceRefresh: true })
    expect(sent.map((s) => [s.authorization, s.method, s.body])).toEqual([
      ['Bearer tok-1', 'POST', 'payload'],
      ['Bearer tok-2', 'POST', 'payload'],
    ])
  })

  it('retries only once: a second invalid_token is returned to the caller', async () => {
    answers = [invalidToken, invalidToken]
    const res = await make()(`${API}/orders`)
    expect(res.status).toBe(401)
    expect(sent).toHaveLength(2)
  })

  it('uses a token another call already renewed without forcing another refresh', async () => {
    answers = [
      () => {
        tokens.current = 'tok-renewed-elsewhere'
        return invalidToken()
      },
    ]
    await make()(`${API}/orders`)
    expect(getAccessToken).not.toHaveBeenCalledWith({ forceRefresh: true })
    expect(sent.map((s) => s.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-renewed-elsewhere'])
  })

  it('does not retry when renewal yields the same token (refresh failed, old token still valid)', async () => {
    tokens.next = 'tok-1'
    answers = [invalidToken]
    const res = await make()(`${API}/orders`)
    expect(res.status).toBe(401)
    expect(sent).toHaveLength(1)
  })

  it('does not retry other 401s or other challenges', async () => {
    answers = [
      () => new Response(null, { status: 401 }),
      () => new Response(null, { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' } }),
      () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }),
    ]
    const api = make()
    expect((await api(`${API}/a`)).status).toBe(401)
    expect((await api(`${API}/b`)).status).toBe(403)
    expect((await api(`${API}/c`)).status).toBe(401)
    expect(sent).toHaveLength(3)
    expect(getAccessToken).not.toHaveBeenCalledWith({ forceRefresh: true })
  })

  it('a session that cannot be renewed rejects with the client error, which carries no token', async () => {
    answers = [invalidToken]
    getAccessToken.mockImplementation(async (o?: { forceRefresh?: boolean }) => {
      if (o?.forceRefresh) throw new AuthError('ERR_SESSION_EXPIRED', 'The provider no longer accepts this session; sign in again')
      return 'tok-1'
    })
    const error = (await make()(`${API}/x`).catch((e: unknown) => e)) as AuthError
    expect(error.code).toBe('ERR_SESSION_EXPIRED')
    expect(error.message + JSON.stringify(error)).not.toContain('tok-1')
  })

  it('a network failure rejects with fetch\'s own error, without the token', async () => {
    answers = [() => Promise.reject(new TypeError('Failed to fetch'))]
    const error = (await make()(`${API}/x`).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(TypeError)
    expect(String(error) + JSON.stringify(error)).not.toContain('tok-1')
  })
})

describe('with the real client', () => {
  const { signIn } = useFakeProvider()

  it('calls userinfo with the token; after the provider invalidates it, refreshes once and retries', async () => {
    const auth = await signIn()

    const api = createAuthFetch(auth, { allowedOrigins: [ISSUER], fetch: op.fetch })
    expect(await (await api(`${ISSUER}/me`)).json()).toEqual({ sub: 'alice' })
    expect(op.refreshTokensIssued).toHaveLength(1)

    op.invalidateAccessTokens()
    const res = await api(`${ISSUER}/me`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ sub: 'alice' })
    expect(op.refreshTokensIssued).toHaveLength(2) // exactly one refresh
    expect(op.calls.filter((c) => c === 'GET /me')).toHaveLength(3)
  })
})

describe('with DPoP (a client with getAuthHeaders)', () => {
  let proofs: number
  let token: string
  let calls: { url: string; method?: string; forceRefresh?: boolean }[]
  const dpopClient = {
    getAccessToken: async () => token,
    async getAuthHeaders(url: string | URL, o: { method?: string; forceRefresh?: boolean } = {}) {
      calls.push({ url: String(url), ...o })
      if (o.forceRefresh) token = 'renewed'
      return { authorization: `DPoP ${token}`, dpop: `proof-${++proofs}` }
    },
    handleDPoPNonce: (_url: string | URL, response: Response) =>
      response.status === 401 && /use_dpop_nonce/.test(response.headers.get('www-authenticate') ?? '') && response.headers.has('dpop-nonce'),
  }
  const makeDPoP = () => createAuthFetch(dpopClient, { allowedOrigins: [API], fetch: fakeFetch })
  const nonceChallenge = () =>
    new Response(null, { status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n1' } })

  beforeEach(() => {
    sent = []
    answers = []
    proofs = 0
    token = 'tok'
    calls = []
  })

  it('sends Authorization: DPoP with a proof made for this method and URL', async () => {
    await makeDPoP()(`${API}/orders?page=2`, { method: 'POST', body: 'x' })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.authorization).toBe('DPoP tok')
    expect(sent[0]!.headers.get('dpop')).toBe('proof-1')
    expect(calls).toEqual([{ url: `${API}/orders?page=2`, method: 'POST' }])
  })

  it('a use_dpop_nonce challenge is retried once with a new proof, body kept; a second one is returned', async () => {
    answers = [nonceChallenge]
    const ok = await makeDPoP()(`${API}/orders`, { method: 'PUT', body: 'payload' })
    expect(ok.status).toBe(200)
    expect(sent.map((s) => [s.headers.get('dpop'), s.body])).toEqual([['proof-1', 'payload'], ['proof-2', 'payload']])

    sent = []
    answers = [nonceChallenge, nonceChallenge]
    const refused = await makeDPoP()(`${API}/orders`)
    expect(refused.status).toBe(401)
    expect(sent).toHaveLength(2)
  })

  it('DPoP error="invalid_token" renews the token once and retries with a new proof', async () => {
    answers = [() => new Response(null, { status: 401, headers: { 'www-authenticate': 'DPoP error="invalid_token"' } })]
    const res = await makeDPoP()(`${API}/orders`)
    expect(res.status).toBe(200)
    expect(sent.map((s) => s.authorization)).toEqual(['DPoP tok', 'DPoP renewed'])
    expect(sent[1]!.headers.get('dpop')).toBe('proof-3')
    expect(calls.filter((c) => c.forceRefresh)).toHaveLength(1)
  })

  it('requests to other origins get neither the token nor a proof', async () => {
    await makeDPoP()('https://cdn.example.net/logo.png')
    expect(sent[0]!.authorization).toBeNull()
    expect(sent[0]!.headers.get('dpop')).toBeNull()
    expect(calls).toEqual([])
  })
})

describe('401 insufficient_user_authentication (RFC 9470 step-up)', () => {
  const MFA = 'urn:example:mfa'
  const stepUpChallenge = (params = `acr_values="${MFA} urn:example:hwk", max_age=0`) => () =>
    new Response(null, { status: 401, headers: { 'www-authenticate': `Bearer error="insufficient_user_authentication", error_description="more", ${params}` } })
  let logins: unknown[]
  let loginResult: () => Promise<void>
  const stepClient = {
    getAccessToken: (o?: { forceRefresh?: boolean }) => getAccessToken(o),
    login: async (o?: unknown) => {
      logins.push(o)
      await loginResult()
    },
  }
  const makeStep = (stepUp?: 'popup' | 'redirect') => createAuthFetch(stepClient, { allowedOrigins: [API], fetch: fakeFetch, ...(stepUp ? { stepUp } : {}) })

  beforeEach(() => {
    logins = []
    loginResult = async () => {
      tokens.current = 'stepped-up'
    }
  })

  it('without stepUp: rejects with ERR_STEP_UP_REQUIRED carrying acrValues and maxAgeS, and signs nothing in', async () => {
    answers = [stepUpChallenge()]
    const e = await makeStep()(`${API}/transfer`).catch((e: unknown) => e)
    expect(e).toBeInstanceOf(AuthError)
    expect(e).toMatchObject({ code: 'ERR_STEP_UP_REQUIRED', status: 401, error: 'insufficient_user_authentication', acrValues: [MFA, 'urn:example:hwk'], maxAgeS: 0 })
    expect((e as Error).message).not.toContain('tok-1')
    expect(logins).toEqual([])
    expect(sent).toHaveLength(1)
  })

  it('a challenge with max_age only, unquoted or quoted, and one with neither', async () => {
    answers = [stepUpChallenge('max_age=300')]
    const only = (await makeStep()(`${API}/x`).catch((e: unknown) => e)) as AuthError
    expect(only.maxAgeS).toBe(300)
    expect(only).not.toHaveProperty('acrValues')
    answers = [stepUpChallenge('max_age="60"')]
    await expect(makeStep()(`${API}/x`)).rejects.toMatchObject({ maxAgeS: 60 })
    answers = [stepUpChallenge('realm="api"')]
    const e = (await makeStep()(`${API}/x`).catch((e: unknown) => e)) as AuthError
    expect(e.code).toBe('ERR_STEP_UP_REQUIRED')
    expect('acrValues' in e || 'maxAgeS' in e).toBe(false)
  })

  it("stepUp: 'popup' signs in again in a popup with what was asked and retries once with the new token", async () => {
    answers = [stepUpChallenge()]
    const res = await makeStep('popup')(`${API}/transfer`, { method: 'POST', body: 'amount=5' })
    expect(res.status).toBe(200)
    expect(logins).toEqual([{ acrValues: [MFA, 'urn:example:hwk'], maxAgeS: 0, prompt: 'login', popup: true }])
    expect(sent.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer tok-1', 'amount=5'],
      ['Bearer stepped-up', 'amount=5'],
    ])
  })

  it('an API that still refuses after the step-up gets ERR_STEP_UP_REQUIRED, not another login (no loop)', async () => {
    answers = [stepUpChallenge(), stepUpChallenge()]
    await expect(makeStep('popup')(`${API}/transfer`)).rejects.toMatchObject({ code: 'ERR_STEP_UP_REQUIRED' })
    expect(logins).toHaveLength(1)
    expect(sent).toHaveLength(2)
  })

  it('a provider that ignores the request: the login rejects (ERR_ACR_MISMATCH) and so does the call, with no retry', async () => {
    loginResult = async () => {
      throw new AuthError('ERR_ACR_MISMATCH', 'not stepped up')
    }
    answers = [stepUpChallenge()]
    await expect(makeStep('popup')(`${API}/transfer`)).rejects.toMatchObject({ code: 'ERR_ACR_MISMATCH' })
    expect(sent).toHaveLength(1)
  })

  it('calls that meet the same challenge at once share one step-up', async () => {
    answers = [stepUpChallenge(), stepUpChallenge()]
    const api = makeStep('popup')
    const [a, b] = await Promise.all([api(`${API}/a`), api(`${API}/b`)])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(logins).toHaveLength(1)
  })

  it("stepUp: 'redirect' leaves by redirect (back to this page) and the call stays pending", async () => {
    answers = [stepUpChallenge('acr_values="urn:example:mfa"')]
    let settled = false
    void makeStep('redirect')(`${API}/transfer`).finally(() => (settled = true))
    await vi.waitFor(() => expect(logins).toEqual([{ acrValues: [MFA], prompt: 'login' }]))
    await new Promise((r) => setTimeout(r, 20))
    expect(settled).toBe(false)
    expect(sent).toHaveLength(1)
  })

  it('works with DPoP: a DPoP challenge steps up and the retry carries a new proof', async () => {
    let proof = 0
    const dpop = {
      ...stepClient,
      getAuthHeaders: async () => ({ authorization: `DPoP ${tokens.current}`, dpop: `proof-${++proof}` }),
    }
    answers = [() => new Response(null, { status: 401, headers: { 'www-authenticate': `DPoP error="insufficient_user_authentication", acr_values="${MFA}"` } })]
    const res = await createAuthFetch(dpop, { allowedOrigins: [API], fetch: fakeFetch, stepUp: 'popup' })(`${API}/transfer`)
    expect(res.status).toBe(200)
    expect(sent.map((s) => [s.authorization, s.headers.get('dpop')])).toEqual([
      ['DPoP tok-1', 'proof-1'],
      ['DPoP stepped-up', 'proof-2'],
    ])
  })

  it('stepUp is checked: a known mode, and a client that can log in', () => {
    expect(() => createAuthFetch(stepClient, { stepUp: 'iframe' as 'popup' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('stepUp') }))
    expect(() => createAuthFetch(client, { stepUp: 'popup' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('stepUp') }))
  })
})
