// A small in-memory OpenID Provider for unit tests, reached through an injected fetch. It signs
// real ID tokens with jose and checks PKCE and refresh-token rotation like a strict provider.
import { EmbeddedJWK, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose'

export const ISSUER = 'https://op.example.test'
export const CLIENT_ID = 'unit-client'

type Handler = (req: Request) => Response | Promise<Response> | undefined

export interface FakeProvider {
  fetch: typeof fetch
  /** Every request the client made, as "METHOD path". */
  calls: string[]
  /** Answers the authorization request the way the provider's login page would after sign-in. */
  authorize(authorizationUrl: string, opts?: { sub?: string; iss?: string | null; error?: string }): string
  /** Replaces the next answer of an endpoint ("/token", "/.well-known/openid-configuration", ...). */
  override(path: string, handler: Handler): void
  accessTokenTtl: number
  refreshTokensIssued: string[]
  revoked: string[]
  /** Claims to put into the next ID token (merged over the defaults). */
  idTokenClaims: Record<string, unknown>
  sendIdTokenOnRefresh: boolean
  rotate: boolean
  /** Sign ID tokens with the key the JWKS publishes, or with a key the provider never published. */
  signWith: 'provider' | 'foreign'
  /** Makes every access token issued so far invalid at the userinfo endpoint (as after a key roll-over). */
  invalidateAccessTokens(): void
  /** Pushed authorization requests (RFC 9126) received, by request_uri, until authorize() uses them. */
  pushed: Map<string, URLSearchParams>
  /** False: token responses carry no refresh token (a provider that gives none to this client). */
  issueRefreshTokens: boolean
  /**
   * DPoP (RFC 9449): `enabled` binds tokens to the key of a valid proof (token_type DPoP) and
   * checks it on refresh and at /me; `requireNonce` answers use_dpop_nonce until a proof carries
   * `nonce`. Off: proofs are ignored and tokens are Bearer.
   */
  dpop: { enabled: boolean; requireNonce: boolean; nonce: string }
  /** use_dpop_nonce answers sent, as "METHOD path". */
  nonceChallenges: string[]
  /** Bodies of every token request, in order. */
  tokenRequests: URLSearchParams[]
  /** Parameters of the last authorization request answered by authorize() (after PAR). */
  lastAuthorization: URLSearchParams | undefined
  /** Claims the userinfo endpoint answers, over `{ sub }` of the token's user (set `sub` to lie). */
  userinfoClaims: Record<string, unknown>
}

export async function createFakeProvider(metadataOverrides: Record<string, unknown> = {}): Promise<FakeProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const foreign = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const codes = new Map<string, { challenge: string; nonce?: string; sub: string; redirectUri: string; jkt?: string }>()
  const liveRefresh = new Map<string, string>() // refresh token -> sub
  const liveAccess = new Map<string, string>() // access token -> sub
  const bound = new Map<string, string>() // refresh or access token -> jkt of its DPoP key
  const overrides = new Map<string, Handler[]>()
  let counter = 0

  const metadata = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: `${ISSUER}/jwks`,
    revocation_endpoint: `${ISSUER}/revoke`,
    pushed_authorization_request_endpoint: `${ISSUER}/par`,
    end_session_endpoint: `${ISSUER}/session/end`,
    userinfo_endpoint: `${ISSUER}/me`,
    authorization_response_iss_parameter_supported: true,
    code_challenge_methods_supported: ['S256'],
    response_types_supported: ['code'],
    id_token_signing_alg_values_supported: ['RS256'],
    ...metadataOverrides,
  }

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

  const idToken = async (sub: string, nonce?: string) =>
    new SignJWT({ name: sub[0]!.toUpperCase() + sub.slice(1), ...(nonce ? { nonce } : {}), ...fake.idTokenClaims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(fake.signWith === 'provider' ? privateKey : foreign.privateKey)

  const issue = async (sub: string, nonce: string | undefined, withIdToken: boolean, jkt?: string) => {
    const refresh = fake.issueRefreshTokens ? `rt-${++counter}-${crypto.randomUUID()}` : undefined
    if (refresh) {
      liveRefresh.set(refresh, sub)
      fake.refreshTokensIssued.push(refresh)
      if (jkt) bound.set(refresh, jkt)
    }
    const access = `at-${++counter}-${crypto.randomUUID()}`
    liveAccess.set(access, sub)
    if (jkt) bound.set(access, jkt)
    return json({
      access_token: access,
      token_type: jkt ? 'DPoP' : 'Bearer',
      expires_in: fake.accessTokenTtl,
      ...(refresh ? { refresh_token: refresh } : {}),
      ...(withIdToken ? { id_token: await idToken(sub, nonce) } : {}),
    })
  }

  const sha256 = async (v: string) => {
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(v)))
    return btoa(String.fromCharCode(...d)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  }

  /** Checks a request's DPoP proof: its key's thumbprint, a Response to send instead, or nothing (no proof, or DPoP off). */
  const proofOf = async (req: Request, accessToken?: string): Promise<{ jkt?: string; refuse?: Response }> => {
    const proof = req.headers.get('dpop')
    if (!fake.dpop.enabled || !proof) return {}
    const refuse = (error: string, status = 400) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'dpop-nonce': fake.dpop.nonce }
      if (error === 'use_dpop_nonce') fake.nonceChallenges.push(`${req.method} ${new URL(req.url).pathname}`)
      if (status === 401) headers['www-authenticate'] = `DPoP error="${error}"`
      return { refuse: new Response(JSON.stringify({ error }), { status, headers }) }
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })
      const url = new URL(req.url)
      if (payload.htm !== req.method || payload.htu !== `${url.origin}${url.pathname}`) return refuse('invalid_dpop_proof', accessToken ? 401 : 400)
      if (accessToken !== undefined && payload.ath !== (await sha256(accessToken))) return refuse('invalid_dpop_proof', 401)
      if (fake.dpop.requireNonce && payload.nonce !== fake.dpop.nonce) return refuse('use_dpop_nonce', accessToken ? 401 : 400)
      return { jkt: await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256') }
    } catch {
      return refuse('invalid_dpop_proof', accessToken ? 401 : 400)
    }
  }

  const fake: FakeProvider = {
    dpop: { enabled: true, requireNonce: false, nonce: 'nonce-1' },
    nonceChallenges: [],
    calls: [],
    accessTokenTtl: 300,
    refreshTokensIssued: [],
    revoked: [],
    idTokenClaims: {},
    sendIdTokenOnRefresh: false,
    rotate: true,
    signWith: 'provider',
    pushed: new Map(),
    invalidateAccessTokens() {
      liveAccess.clear()
    },
    issueRefreshTokens: true,
    tokenRequests: [],
    lastAuthorization: undefined,
    userinfoClaims: {},
    override(path, handler) {
      overrides.set(path, [...(overrides.get(path) ?? []), handler])
    },
    authorize(authorizationUrl, opts = {}) {
      const url = new URL(authorizationUrl)
      let p = url.searchParams
      const requestUri = p.get('request_uri')
      if (requestUri !== null) {
        // A pushed request is used once, by the client that pushed it; the URL carries nothing else.
        const pushed = fake.pushed.get(requestUri)
        fake.pushed.delete(requestUri)
        if (!pushed || pushed.get('client_id') !== p.get('client_id')) throw new Error('unknown or used request_uri')
        p = pushed
      } else if ((metadata as Record<string, unknown>).require_pushed_authorization_requests === true) {
        throw new Error('this provider requires pushed authorization requests')
      }
      fake.lastAuthorization = p
      const redirect = new URL(p.get('redirect_uri')!)
      if (opts.error) {
        redirect.searchParams.set('error', opts.error)
      } else {
        const code = `code-${++counter}`
        codes.set(code, {
          challenge: p.get('code_challenge')!,
          ...(p.get('nonce') ? { nonce: p.get('nonce')! } : {}),
          sub: opts.sub ?? 'alice',
          redirectUri: p.get('redirect_uri')!,
          ...(fake.dpop.enabled && p.get('dpop_jkt') ? { jkt: p.get('dpop_jkt')! } : {}),
        })
        redirect.searchParams.set('code', code)
      }
      redirect.searchParams.set('state', p.get('state')!)
      if (opts.iss !== null) redirect.searchParams.set('iss', opts.iss ?? ISSUER)
      return redirect.href
    },
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init)
      const url = new URL(req.url)
      fake.calls.push(`${req.method} ${url.pathname}`)
      const queued = overrides.get(url.pathname)
      if (queued?.length) {
        const answer = await queued.shift()!(req)
        if (answer) return answer
      }
      if (url.pathname === '/.well-known/openid-configuration') return json(metadata)
      if (url.pathname === '/jwks') return json({ keys: [jwk] })
      if (url.pathname === '/par' && req.method === 'POST') {
        const body = new URLSearchParams(await req.text())
        if (body.get('client_id') !== CLIENT_ID) return json({ error: 'invalid_client' }, 401)
        if (body.has('request_uri')) return json({ error: 'invalid_request' }, 400)
        const { jkt, refuse } = await proofOf(req)
        if (refuse) return refuse
        if (jkt) body.set('dpop_jkt', jkt)
        const requestUri = `urn:ietf:params:oauth:request_uri:${++counter}-${crypto.randomUUID()}`
        fake.pushed.set(requestUri, body)
        return json({ request_uri: requestUri, expires_in: 60 }, 201)
      }
      if (url.pathname === '/me') {
        const [, scheme, token = ''] = /^(Bearer|DPoP) (.+)$/.exec(req.headers.get('authorization') ?? '') ?? []
        const sub = liveAccess.get(token)
        const challenge = bound.has(token) || scheme === 'DPoP' ? 'DPoP' : 'Bearer'
        const invalid = () => new Response(null, { status: 401, headers: { 'www-authenticate': `${challenge} error="invalid_token"` } })
        if (!sub) return invalid()
        if (bound.has(token) || scheme === 'DPoP') {
          const { jkt, refuse } = await proofOf(req, token)
          if (refuse) return refuse
          if (scheme !== 'DPoP' || !jkt || jkt !== bound.get(token)) return invalid()
        }
        return json({ sub, ...fake.userinfoClaims })
      }
      if (url.pathname === '/revoke') {
        const body = new URLSearchParams(await req.text())
        fake.revoked.push(body.get('token')!)
        liveRefresh.delete(body.get('token')!)
        return new Response(null, { status: 200 })
      }
      if (url.pathname === '/token') {
        const body = new URLSearchParams(await req.text())
        fake.tokenRequests.push(body)
        if (body.get('client_id') !== CLIENT_ID) return json({ error: 'invalid_client' }, 401)
        const { jkt, refuse } = await proofOf(req)
        if (refuse) return refuse
        if (body.get('grant_type') === 'authorization_code') {
          const entry = codes.get(body.get('code') ?? '')
          codes.delete(body.get('code') ?? '')
          if (!entry) return json({ error: 'invalid_grant' }, 400)
          if ((await sha256(body.get('code_verifier') ?? '')) !== entry.challenge) return json({ error: 'invalid_grant', error_description: 'PKCE' }, 400)
          if (body.get('redirect_uri') !== entry.redirectUri) return json({ error: 'invalid_grant' }, 400)
          if (entry.jkt && entry.jkt !== jkt) return json({ error: 'invalid_grant', error_description: 'dpop_jkt' }, 400)
          return issue(entry.sub, entry.nonce, true, jkt)
        }
        if (body.get('grant_type') === 'refresh_token') {
          const token = body.get('refresh_token') ?? ''
          const sub = liveRefresh.get(token)
          if (!sub) return json({ error: 'invalid_grant' }, 400)
          // A bound refresh token needs a proof by the same key (RFC 9449 §5).
          if (bound.has(token) && bound.get(token) !== jkt) return json({ error: 'invalid_grant', error_description: 'DPoP binding' }, 400)
          if (fake.rotate) {
            liveRefresh.delete(token)
            return issue(sub, undefined, fake.sendIdTokenOnRefresh, jkt)
          }
          const access = `at-${++counter}`
          liveAccess.set(access, sub)
          if (jkt) bound.set(access, jkt)
          return json({ access_token: access, token_type: jkt ? 'DPoP' : 'Bearer', expires_in: fake.accessTokenTtl })
        }
        return json({ error: 'unsupported_grant_type' }, 400)
      }
      return new Response('not found', { status: 404 })
    }) as typeof fetch,
  }
  return fake
}
