// The dev OpenID Provider for the demo and the end-to-end tests: npm `oidc-provider`, bound to
// 127.0.0.1, one public client, PKCE required, rotating refresh tokens, a short access-token
// lifetime on request, and a few /__dev endpoints that let tests count and break things.
// It is a development tool: any username and password signs in.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import Provider, { errors } from 'oidc-provider'

export const CLIENT_ID = 'tokenkeep-demo'

/**
 * APIs this provider issues access tokens for (RFC 8707 resource indicators). The identifiers are
 * names only (`.test` never resolves); their tokens are JWTs, so a test can read their `aud`.
 */
export const RESOURCES = ['https://api.example.test/', 'https://billing.example.test/']
/** The scope the dev APIs know, beside the OpenID scopes. */
export const API_SCOPE = 'api:read'
/**
 * Authentication context classes this provider can satisfy (advertised as acr_values_supported).
 * Every dev login gets the first `acr_values` value it supports, or `urn:tokenkeep:pwd`.
 */
export const ACR_VALUES = ['urn:tokenkeep:pwd', 'urn:tokenkeep:mfa']

/** Endpoints /__dev/fail can break, by name. */
const ENDPOINTS = {
  discovery: '/.well-known/openid-configuration',
  authorization: '/auth',
  token: '/token',
  revocation: '/token/revocation',
  userinfo: '/me',
  jwks: '/jwks',
  end_session: '/session/end',
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = createNetServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, host, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Both spellings of a loopback origin, since browsers treat them as different origins. */
function withLoopbackTwins(origins) {
  const out = new Set()
  for (const o of origins) {
    const u = new URL(o)
    out.add(u.origin)
    if (u.hostname === 'localhost') out.add(`${u.protocol}//127.0.0.1:${u.port}`)
    if (u.hostname === '127.0.0.1') out.add(`${u.protocol}//localhost:${u.port}`)
  }
  return [...out]
}

const unique = (list) => [...new Set(list)]

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1)

function newStats() {
  return {
    grants: { authorization_code: 0, refresh_token: 0 },
    grantErrors: [],
    refreshTokenReuse: 0,
    refreshTokensIssued: 0,
    /** Authorization requests (GET /auth), and those with prompt=none (silent renewal). */
    authorizations: { total: 0, silent: 0 },
    /** OAuth errors sent back to prompt=none requests (login_required, ...). */
    silentErrors: [],
    /**
     * The step-up and resource parameters of each successful authorization request (pushed ones
     * included): prompt, max_age, acr_values, login_hint, ui_locales, resource (a list).
     */
    authorizationParams: [],
    /** `resource` values of each token request, by grant type: { grantType, resource: [...] }. */
    tokenResources: [],
    /** GET /me answered 200. */
    userinfo: 0,
    revocations: 0,
    endSessions: 0,
    /** Userinfo answers: 200s, and 401s (an access token that expired or was revoked). */
    userinfoAnswers: { ok: 0, rejected: 0 },
    /** When each refresh grant was answered (epoch ms), to measure the cadence. */
    refreshTimes: [],
    requests: 0,
    requestLog: [],
    /** Requests that carried a DPoP proof (RFC 9449), as 'METHOD /path'. */
    dpopProofs: [],
    /** Answers that asked for a DPoP nonce (use_dpop_nonce), as 'METHOD /path': one per round trip. */
    dpopNonceChallenges: [],
    /** token_type of each token response, lower case ('dpop', 'bearer'). */
    tokenTypes: [],
    /** Differ mode `rotationRevokesAccessToken`: access tokens destroyed because a refresh replaced them. */
    accessTokensRevokedOnRotation: 0,
    /** Differ mode `silentErrorPage`: prompt=none requests answered with an HTML error page. */
    silentErrorPages: 0,
  }
}

/**
 * Ways the dev provider can bend the standard, as providers in the wild do (all off by default):
 * - `discoveryPath`: the discovery document is served only at this path (e.g.
 *   '/.well-known/openid-configuration/'); the standard path answers 301 with it as Location.
 * - `hideRevocation`: the revocation endpoint works but the metadata does not advertise it.
 * - `rotationRevokesAccessToken`: a refresh that rotates also kills the access tokens issued
 *   before it under the same grant (userinfo then refuses them).
 * - `silentErrorPage`: a `prompt=none` request gets an HTML error page (HTTP 400) instead of the
 *   OAuth `login_required` redirect back to the client.
 */
const DIFFER_MODES = ['discoveryPath', 'hideRevocation', 'rotationRevokesAccessToken', 'silentErrorPage']

function differFrom(value = {}) {
  return {
    discoveryPath: typeof value.discoveryPath === 'string' && value.discoveryPath.startsWith('/') ? value.discoveryPath : undefined,
    hideRevocation: value.hideRevocation === true,
    rotationRevokesAccessToken: value.rotationRevokesAccessToken === true,
    silentErrorPage: value.silentErrorPage === true,
  }
}

/** TK_OP_DIFFER for the CLI: comma-separated modes, `discoveryPath=/path` or a bare name for true. */
export function differFromEnv(text = '') {
  const out = {}
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=')
    if (!DIFFER_MODES.includes(name)) throw new Error(`TK_OP_DIFFER: unknown mode "${name}" (known: ${DIFFER_MODES.join(', ')})`)
    out[name] = name === 'discoveryPath' ? (value ?? '/.well-known/openid-configuration/') : true
  }
  return out
}

/** Pages of the framework demos (demo/react.html, demo/vue.html). */
const FRAMEWORK_PAGES = ['/react.html', '/vue.html']

/**
 * Starts the provider.
 * `skipConsent: false` brings back oidc-provider's consent page (the e2e login helper must cope).
 * `issuer` sets a public URL other than the listening address: the negative e2e suite puts a
 * tampering proxy there, which forwards to `port` keeping the Host header. `signingKey` (a private
 * RS256 JWK) replaces the generated key, so that proxy can re-sign the ID tokens it alters.
 * `requirePar: true` makes pushed authorization requests (RFC 9126) mandatory, advertised as
 * `require_pushed_authorization_requests` in the metadata; PAR is available either way.
 * `issueRefreshTokens: false` makes token responses carry no refresh token (also switchable at
 * run time with POST /__dev/refresh-tokens; /__dev/reset restores the start value). POST
 * /__dev/id-token-claims `{ profile: false }` leaves only `sub` in ID tokens, as providers do that
 * keep profile claims for userinfo (reset turns them back on).
 * `dpop` configures DPoP (RFC 9449, oidc-provider's `features.dPoP`, on by default): `requireNonce:
 * true` (also switchable with POST /__dev/dpop) makes every proof carry a server nonce (nonces are
 * issued either way, so a client that sends one is checked); `enabled: false` plays a provider
 * that ignores proofs and issues Bearer tokens.
 * `extraRedirectUris` registers more exact redirect URIs (also accepted after logout, and their
 * origins for CORS), for apps that are not laid out like the demo (the benchmark pages).
 * `differ` turns on ways of bending the standard (see DIFFER_MODES above); POST /__dev/differ
 * replaces them at run time and /__dev/reset restores the start value.
 * @param {{ differ?: { discoveryPath?: string, hideRevocation?: boolean, rotationRevokesAccessToken?: boolean, silentErrorPage?: boolean }, port?: number, host?: string, issuer?: string, extraRedirectUris?: string[], signingKey?: object, rotateRefreshToken?: boolean, clientOrigins?: string[], accessTokenTtl?: number, refreshTokenTtl?: number, skipConsent?: boolean, requirePar?: boolean, issueRefreshTokens?: boolean, dpop?: { enabled?: boolean, requireNonce?: boolean }, quiet?: boolean }} options
 */
export async function startProvider(options = {}) {
  const host = options.host ?? '127.0.0.1'
  const port = options.port || (await freePort(host))
  const issuer = options.issuer ?? `http://${host}:${port}`
  const extraRedirectUris = options.extraRedirectUris ?? []
  const origins = withLoopbackTwins([...(options.clientOrigins ?? []), ...extraRedirectUris])
  const state = {
    accessTokenTtl: options.accessTokenTtl ?? Number(process.env.TK_ACCESS_TOKEN_TTL ?? 3600),
    failures: new Map(),
    /** Added delay (ms) before an endpoint answers, by path: POST /__dev/latency. */
    latency: new Map(),
    stats: newStats(),
    issueRefreshTokens: options.issueRefreshTokens ?? true,
    dpopRequireNonce: options.dpop?.requireNonce === true,
    /** Whether ID tokens carry the profile and email claims, or only `sub` (userinfo has them all). */
    idTokenProfile: true,
    differ: differFrom(options.differ),
  }
  const refreshTokenTtl = options.refreshTokenTtl ?? 24 * 3600

  const jwk = options.signingKey ?? {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: 'dev-rs256',
    use: 'sig',
    alg: 'RS256',
  }

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: 'tokenkeep demo',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: unique(origins.flatMap((o) => [
          `${o}/callback`,
          `${o}/popup-callback.html`,
          `${o}/silent-callback.html`,
          // The React and Vue demos are their own redirect targets.
          ...FRAMEWORK_PAGES.map((page) => `${o}${page}`),
        ]).concat(extraRedirectUris)),
        post_logout_redirect_uris: unique(
          origins.flatMap((o) => [`${o}/`, `${o}/logged-out`, ...FRAMEWORK_PAGES.map((page) => `${o}${page}`)]).concat(extraRedirectUris),
        ),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'preferred_username', 'picture'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access', API_SCOPE],
    acrValues: ACR_VALUES,
    // Put the profile claims the scope asked for in the ID token too (oidc-provider's default
    // keeps them for userinfo only when an access token is issued).
    conformIdTokenClaims: false,
    // oidc-provider 9 supports only S256 and already requires PKCE for public clients; say so anyway.
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: false },
      rpInitiatedLogout: { enabled: true, postLogoutSuccessSource },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: options.requirePar === true },
      // RFC 8707: access tokens for the dev APIs. A token request names one of them; when it
      // names several (as the authorization request may), the token is for the first.
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => (Array.isArray(oneOf) ? oneOf[0] : oneOf),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (!RESOURCES.includes(resource)) throw new errors.InvalidTarget()
          return { scope: API_SCOPE, audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }
        },
      },
      dPoP: {
        enabled: options.dpop?.enabled ?? true,
        nonceSecret: randomBytes(32),
        requireNonce: () => state.dpopRequireNonce,
      },
    },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        // `picture` only at the userinfo endpoint, so a test can tell its claims from the ID token's.
        async claims(use) {
          // Playing a provider that keeps profile claims for userinfo (POST /__dev/id-token-claims).
          if (use === 'id_token' && !state.idTokenProfile) return { sub }
          return {
            sub,
            name: capitalise(sub),
            given_name: capitalise(sub),
            preferred_username: sub,
            email: `${sub}@example.test`,
            email_verified: true,
            ...(use === 'userinfo' ? { picture: `${issuer}/__dev/picture/${encodeURIComponent(sub)}.png` } : {}),
          }
        },
      }
    },
    // A first-party client: no consent page; the grant covers what was asked for.
    ...(options.skipConsent === false ? {} : { loadExistingGrant }),
    // Refresh tokens for this client whatever the scope (no offline_access/consent dance), unless
    // switched off to play a provider that gives SPAs none (silent renewal tests).
    async issueRefreshToken(_ctx, client) {
      return state.issueRefreshTokens && client.grantTypeAllowed('refresh_token')
    },
    // `rotateRefreshToken: false` plays a provider that keeps one refresh token for the session.
    rotateRefreshToken: options.rotateRefreshToken ?? true,
    ttl: {
      AccessToken: () => state.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: refreshTokenTtl,
      Grant: refreshTokenTtl,
      Session: refreshTokenTtl,
      Interaction: 3600,
    },
    clientBasedCORS(_ctx, origin) {
      return origins.includes(origin)
    },
  })
  provider.proxy = false

  // The dev login form knows no second factor; it grants the strongest acr the request asks for
  // that this provider supports, as a real provider would after running that factor. An acr it
  // does not support is not granted: the login gets the default one.
  const interactionFinished = provider.interactionFinished.bind(provider)
  provider.interactionFinished = async (req, res, result, opts) => {
    if (result?.login) {
      const { params } = await provider.interactionDetails(req, res)
      const asked = String(params.acr_values ?? '').split(' ')
      result = { ...result, login: { acr: asked.find((v) => ACR_VALUES.includes(v)) ?? ACR_VALUES[0], ...result.login } }
    }
    return interactionFinished(req, res, result, opts)
  }

  provider.on('grant.success', (ctx) => {
    const type = ctx.oidc.params?.grant_type
    state.stats.grants[type] = (state.stats.grants[type] ?? 0) + 1
    if (type === 'refresh_token') state.stats.refreshTimes.push(Date.now())
    const resource = ctx.oidc.params?.resource
    state.stats.tokenResources.push({ grantType: type, resource: resource === undefined ? [] : [resource].flat() })
  })
  provider.on('authorization.success', (ctx) => {
    const p = ctx.oidc.params ?? {}
    const pick = ['prompt', 'max_age', 'acr_values', 'login_hint', 'ui_locales'].filter((k) => p[k] !== undefined)
    state.stats.authorizationParams.push({
      ...Object.fromEntries(pick.map((k) => [k, p[k]])),
      resource: p.resource === undefined ? [] : [p.resource].flat(),
    })
  })
  provider.on('grant.error', (ctx, err) => {
    const grantType = ctx.oidc?.params?.grant_type
    state.stats.grantErrors.push({ grantType, error: err.error, detail: err.error_detail })
    if (grantType === 'refresh_token' && /already used/.test(err.error_detail ?? '')) state.stats.refreshTokenReuse += 1
  })
  provider.on('authorization.error', (ctx, err) => {
    if (ctx.oidc?.params?.prompt === 'none') state.stats.silentErrors.push(err.error)
  })
  provider.on('refresh_token.saved', () => {
    state.stats.refreshTokensIssued += 1
  })
  provider.on('end_session.success', () => {
    state.stats.endSessions += 1
  })
  provider.on('server_error', (_ctx, err) => {
    if (!options.quiet) console.error('[op] server_error', err)
  })

  const cors = (ctx) => {
    const origin = ctx.get('origin')
    if (origins.includes(origin)) {
      ctx.set('access-control-allow-origin', origin)
      ctx.set('vary', 'origin')
    }
  }

  provider.use(async (ctx, next) => {
    if (ctx.path.startsWith('/__dev/')) return devEndpoint(ctx)
    state.stats.requests += 1
    state.stats.requestLog.push(`${ctx.method} ${ctx.path}`)
    if (ctx.method === 'GET' && ctx.path === ENDPOINTS.authorization) {
      state.stats.authorizations.total += 1
      if (ctx.query.prompt === 'none') state.stats.authorizations.silent += 1
    }
    const differ = state.differ
    if (differ.discoveryPath && ctx.method === 'GET') {
      if (ctx.path === ENDPOINTS.discovery) {
        // As a web framework does that appends a slash: a permanent redirect, readable across origins.
        ctx.set('access-control-allow-origin', '*')
        ctx.status = 301
        ctx.set('location', `${issuer}${differ.discoveryPath}`)
        ctx.body = ''
        return
      }
      if (ctx.path === differ.discoveryPath) ctx.path = ENDPOINTS.discovery
    }
    if (differ.silentErrorPage && ctx.method === 'GET' && ctx.path === ENDPOINTS.authorization && ctx.query.prompt === 'none') {
      state.stats.silentErrorPages += 1
      ctx.status = 400
      ctx.type = 'html'
      ctx.body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>Sorry, something went wrong</h1><p>You need to sign in (login_required).</p></body></html>'
      return
    }
    const latency = state.latency.get(ctx.path)
    if (latency && ctx.method !== 'OPTIONS') await new Promise((r) => setTimeout(r, latency))
    const failure = state.failures.get(ctx.path)
    if (failure && failure.times > 0 && ctx.method !== 'OPTIONS') {
      failure.times -= 1
      if (failure.times === 0) state.failures.delete(ctx.path)
      if (failure.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs))
      cors(ctx)
      ctx.status = failure.status
      if (failure.contentType) ctx.type = failure.contentType
      for (const [name, value] of Object.entries(failure.headers)) ctx.set(name, value)
      // Let the app read them across origins, as a real API would expose WWW-Authenticate.
      if (Object.keys(failure.headers).length) ctx.set('access-control-expose-headers', Object.keys(failure.headers).join(', '))
      ctx.body = failure.body
      if (failure.body === '') ctx.body = ''
      return
    }
    if (ctx.get('dpop')) state.stats.dpopProofs.push(`${ctx.method} ${ctx.path}`)
    await next()
    if (differ.hideRevocation && ctx.path === ENDPOINTS.discovery && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = Object.fromEntries(Object.entries(ctx.body).filter(([key]) => !key.startsWith('revocation_endpoint')))
    }
    if (differ.rotationRevokesAccessToken && ctx.method === 'POST' && ctx.path === ENDPOINTS.token && ctx.status === 200 && ctx.oidc?.params?.grant_type === 'refresh_token') {
      await revokeEarlierAccessTokens(ctx.oidc.entities?.RefreshToken?.grantId)
    }
    const challenge = ctx.response.get('www-authenticate')
    if (ctx.body?.error === 'use_dpop_nonce' || /use_dpop_nonce/.test(challenge)) state.stats.dpopNonceChallenges.push(`${ctx.method} ${ctx.path}`)
    if (ctx.path === ENDPOINTS.token && ctx.status === 200 && typeof ctx.body?.token_type === 'string') state.stats.tokenTypes.push(ctx.body.token_type.toLowerCase())
    if (ctx.path === ENDPOINTS.userinfo && ctx.method !== 'OPTIONS') {
      if (ctx.status === 200) state.stats.userinfoAnswers.ok += 1
      else if (ctx.status === 401) state.stats.userinfoAnswers.rejected += 1
    }
    // oidc-provider emits no success event for revocation: count the requests it answered 200.
    if (ctx.method === 'POST' && ctx.path === ENDPOINTS.revocation && ctx.status === 200) state.stats.revocations += 1
    if (ctx.path === ENDPOINTS.userinfo && ctx.method !== 'OPTIONS' && ctx.status === 200) state.stats.userinfo += 1
    // The built-in pages import a web font from a public host; this network is closed.
    if (typeof ctx.body === 'string' && ctx.type?.includes('html')) {
      ctx.body = ctx.body
        .replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '')
        .replace(/<link[^>]+fonts\.(googleapis|gstatic)\.com[^>]*>/g, '')
    }
  })

  async function devEndpoint(ctx) {
    cors(ctx)
    if (ctx.method === 'OPTIONS') {
      ctx.set('access-control-allow-methods', 'GET, POST')
      ctx.set('access-control-allow-headers', 'content-type')
      ctx.status = 204
      return
    }
    const body = ctx.method === 'POST' ? await readJson(ctx.req) : {}
    switch (`${ctx.method} ${ctx.path}`) {
      case 'GET /__dev/stats':
        ctx.body = state.stats
        return
      case 'POST /__dev/reset':
        state.stats = newStats()
        state.failures.clear()
        state.latency.clear()
        state.issueRefreshTokens = options.issueRefreshTokens ?? true
        state.dpopRequireNonce = options.dpop?.requireNonce === true
        state.idTokenProfile = true
        state.differ = differFrom(options.differ)
        ctx.body = { ok: true }
        return
      case 'POST /__dev/differ':
        // The modes given replace the current ones (see DIFFER_MODES); {} turns them all off.
        state.differ = differFrom(body)
        ctx.body = state.differ
        return
      case 'POST /__dev/revoke-all': {
        // Every grant dies, and with it every refresh and access token issued under it.
        const grants = [...grantIds]
        await Promise.all(grants.map((id) => provider.Grant.adapter.destroy(id)))
        for (const model of ['RefreshToken', 'AccessToken']) {
          for (const id of tokenIds[model]) await provider[model].adapter.destroy(id)
        }
        ctx.body = { revoked: grants.length }
        return
      }
      case 'POST /__dev/fail': {
        const path = ENDPOINTS[body.endpoint] ?? body.endpoint
        state.failures.set(path, {
          status: body.status ?? 500,
          body: body.body ?? '',
          contentType: body.contentType,
          headers: body.headers && typeof body.headers === 'object' ? body.headers : {},
          times: body.times ?? 1,
          delayMs: body.delayMs ?? 0,
        })
        ctx.body = { ok: true, path }
        return
      }
      case 'POST /__dev/latency': {
        // { endpoint, ms }: every request to it waits this long first (0 removes the delay).
        const path = ENDPOINTS[body.endpoint] ?? body.endpoint
        const ms = Number(body.ms ?? 0)
        if (ms > 0) state.latency.set(path, ms)
        else state.latency.delete(path)
        ctx.body = { ok: true, path, ms }
        return
      }
      case 'POST /__dev/revoke-access-tokens': {
        // Access tokens die, refresh tokens live: the next API call meets a real 401 invalid_token.
        const ids = [...tokenIds.AccessToken]
        for (const id of ids) await provider.AccessToken.adapter.destroy(id)
        tokenIds.AccessToken.clear()
        ctx.body = { revoked: ids.length }
        return
      }
      case 'POST /__dev/refresh-tokens':
        state.issueRefreshTokens = body.issue !== false
        ctx.body = { issueRefreshTokens: state.issueRefreshTokens }
        return
      case 'POST /__dev/dpop':
        state.dpopRequireNonce = body.requireNonce === true
        ctx.body = { requireNonce: state.dpopRequireNonce }
        return
      case 'POST /__dev/id-token-claims':
        state.idTokenProfile = body.profile !== false
        ctx.body = { idTokenProfile: state.idTokenProfile }
        return
      case 'POST /__dev/ttl':
        state.accessTokenTtl = Number(body.accessTokenTtl)
        ctx.body = { accessTokenTtl: state.accessTokenTtl }
        return
      default:
        ctx.status = 404
        ctx.body = { error: 'unknown dev endpoint' }
    }
  }

  // Track ids of grants and tokens so /__dev/revoke-all can destroy them (the default adapter is
  // in memory and has no listing).
  const grantIds = new Set()
  const tokenIds = { RefreshToken: new Set(), AccessToken: new Set() }
  provider.on('grant.success', (ctx) => {
    const grantId = ctx.oidc.entities?.Grant?.jti ?? ctx.oidc.entities?.AuthorizationCode?.grantId ?? ctx.oidc.entities?.RefreshToken?.grantId
    if (grantId) grantIds.add(grantId)
  })
  for (const [event, model] of [['refresh_token.saved', 'RefreshToken'], ['access_token.saved', 'AccessToken']]) {
    provider.on(event, (t) => {
      tokenIds[model].add(t.jti)
      if (t.grantId) grantIds.add(t.grantId)
    })
  }
  // Access tokens by grant, in the order they were issued (differ mode rotationRevokesAccessToken).
  const accessTokensByGrant = new Map()
  provider.on('access_token.saved', (t) => {
    if (t.grantId) accessTokensByGrant.set(t.grantId, [...(accessTokensByGrant.get(t.grantId) ?? []), t.jti])
  })
  async function revokeEarlierAccessTokens(grantId) {
    const issued = grantId ? accessTokensByGrant.get(grantId) ?? [] : []
    // The last one is the token this refresh just issued.
    for (const jti of issued.slice(0, -1)) {
      await provider.AccessToken.adapter.destroy(jti)
      tokenIds.AccessToken.delete(jti)
      state.stats.accessTokensRevokedOnRotation += 1
    }
    if (issued.length) accessTokensByGrant.set(grantId, issued.slice(-1))
  }

  const server = createServer(provider.callback())
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return {
    issuer,
    port,
    provider,
    clientId: CLIENT_ID,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

// The grant for this session (new or existing) is widened to whatever this request asks for, so a
// later login with more scopes does not bring the consent page back either.
async function loadExistingGrant(ctx) {
  const { Grant } = ctx.oidc.provider
  const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
  const grant =
    (grantId && (await Grant.find(grantId))) ||
    new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId })
  grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '))
  if (ctx.oidc.requestParamClaims) grant.addOIDCClaims([...ctx.oidc.requestParamClaims])
  // RFC 8707: each requested API gets the scopes asked for that it knows.
  for (const [resource, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
    const scope = [...ctx.oidc.requestParamScopes].filter((s) => server.scopes.has(s))
    if (scope.length) grant.addResourceScope(resource, scope.join(' '))
  }
  await grant.save()
  return grant
}

/** Shown after a logout without post_logout_redirect_uri: a way back instead of a dead end. */
async function postLogoutSuccessSource(ctx) {
  const uris = ctx.oidc.client?.postLogoutRedirectUris ?? []
  const back = uris.find((u) => u.endsWith('/')) ?? uris[0]
  ctx.type = 'html'
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title>
<style>body{font-family:system-ui,sans-serif;text-align:center;margin-top:3rem}</style></head>
<body><h1>Signed out</h1>${back ? `<p><a data-testid="back-to-app" href="${back}">Back to the app</a></p>` : ''}</body></html>`
}

function readJson(req) {
  return new Promise((resolve) => {
    let data = ''
    req.on('data', (c) => (data += c))
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {})
      } catch {
        resolve({})
      }
    })
  })
}

// CLI: node demo/op/provider.mjs
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const origins = (process.env.TK_DEMO_ORIGIN ?? 'http://localhost:5173').split(',').map((o) => o.trim()).filter(Boolean)
  const port = Number(process.env.TK_OP_PORT ?? 9080)
  const op = await startProvider({
    port,
    clientOrigins: origins,
    requirePar: process.env.TK_OP_REQUIRE_PAR === '1',
    dpop: { requireNonce: process.env.TK_OP_DPOP_NONCE === '1' },
    // e.g. TK_OP_DIFFER=discoveryPath,hideRevocation,rotationRevokesAccessToken,silentErrorPage
    differ: differFromEnv(process.env.TK_OP_DIFFER),
  }).catch((error) => {
    if (error?.code !== 'EADDRINUSE') throw error
    console.error(`OpenID Provider: port ${port} is already in use; set TK_OP_PORT=<port> to use another`)
    process.exit(1)
  })
  console.log(`OpenID Provider: ${op.issuer} (client_id ${op.clientId}; any username/password signs in)`)
}
