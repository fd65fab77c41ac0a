// A resource server that accepts only DPoP-bound access tokens (RFC 9449 §7), for the e2e tests:
// it checks the proof (typ, alg, a public jwk, signature, htm, htu, iat, jti, ath, and a nonce of
// its own when asked to) and the binding of the token to the proof's key (cnf.jkt, read from the
// provider's own token store, as introspection would). It records every refusal and why.
// Step-up mode (RFC 9470): it also demands an acr and/or a recent sign-in, read from the
// provider's session behind the token, and answers insufficient_user_authentication otherwise;
// Bearer tokens can be accepted too, for apps without DPoP.
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify, type JWK } from 'jose'
// @ts-expect-error plain ESM module without types
import { freePort } from '../../demo/op/provider.mjs'

/** What the resource server needs from the provider: its access-token store. */
export interface TokenStore {
  AccessToken: { find(token: string): Promise<{ accountId: string; jkt?: string; sessionUid?: string; iat?: number } | undefined> }
  /** The provider's sessions: how and when the user behind a token signed in. */
  Session: { findByUid(uid: string): Promise<{ acr?: string; loginTs?: number } | undefined> }
}

/** What the step-up mode demands (RFC 9470): an acr, a sign-in at most `maxAgeS` old, or both. */
export interface StepUpDemand {
  acr?: string
  maxAgeS?: number
}

export interface ResourceServerStats {
  /** Requests answered 200. */
  ok: number
  /** Why requests were refused (one entry each). */
  refusals: string[]
  /** 401 use_dpop_nonce answers (round trips a client paid for a nonce). */
  nonceChallenges: number
  /** 401 insufficient_user_authentication answers (step-up challenges). */
  stepUpChallenges: number
}

export interface DPoPResourceServer {
  readonly url: string
  stats(): ResourceServerStats
  reset(): void
  /** Require proofs to carry this server's nonce (RFC 9449 §9). */
  requireNonce(on: boolean): void
  /** Demand a step-up (RFC 9470) from every token; undefined turns it off (reset() too). */
  requireStepUp(demand: StepUpDemand | undefined): void
  /** Accept Bearer tokens (not DPoP-bound) too; reset() turns it off. */
  acceptBearer(on: boolean): void
  close(): Promise<void>
}

const ALGS = ['ES256', 'ES384', 'Ed25519', 'EdDSA', 'PS256', 'RS256']
/** How old (or how far ahead) a proof without a server nonce may be. */
const IAT_WINDOW_S = 60

class Refusal extends Error {
  constructor(
    readonly error: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce' | 'insufficient_user_authentication',
    message: string,
  ) {
    super(message)
  }
}

/**
 * Starts the resource server on a free loopback port. `GET /api/me` answers `{ sub }` for a valid
 * DPoP-bound token; everything else about the request must be right too. CORS is open to
 * `origins` only.
 */
export async function startDPoPResourceServer(tokens: TokenStore, origins: readonly string[]): Promise<DPoPResourceServer> {
  const host = '127.0.0.1'
  const port: number = await freePort(host)
  const url = `http://${host}:${port}`
  const seenJti = new Set<string>()
  let stats: ResourceServerStats = { ok: 0, refusals: [], nonceChallenges: 0, stepUpChallenges: 0 }
  let nonceRequired = false
  let stepUp: StepUpDemand | undefined
  let bearer = false

  /** RFC 9470: the sign-in behind the token must meet the demand; the token must come after it. */
  async function checkStepUp(stored: { sessionUid?: string; iat?: number }): Promise<void> {
    if (!stepUp) return
    const session = stored.sessionUid ? await tokens.Session.findByUid(stored.sessionUid) : undefined
    const loginTs = session?.loginTs ?? 0
    // A token issued before the latest sign-in speaks for the sign-in before it.
    const current = stored.iat !== undefined && stored.iat >= loginTs
    if (stepUp.acr !== undefined && (!current || session?.acr !== stepUp.acr)) throw new Refusal('insufficient_user_authentication', `acr ${session?.acr} is not ${stepUp.acr}`)
    if (stepUp.maxAgeS !== undefined && (!current || Date.now() / 1000 - loginTs > stepUp.maxAgeS)) throw new Refusal('insufficient_user_authentication', `the sign-in is older than ${stepUp.maxAgeS} s`)
  }
  let nonce = randomBytes(16).toString('base64url')

  async function check(req: IncomingMessage): Promise<{ sub: string }> {
    const authorization = req.headers.authorization ?? ''
    const [scheme, token] = authorization.split(' ')
    if (bearer && scheme?.toLowerCase() === 'bearer' && token) {
      const stored = await tokens.AccessToken.find(token)
      if (!stored) throw new Refusal('invalid_token', 'unknown or expired access token')
      if (stored.jkt) throw new Refusal('invalid_token', 'a DPoP-bound token sent as Bearer')
      await checkStepUp(stored)
      return { sub: stored.accountId }
    }
    if (scheme?.toLowerCase() !== 'dpop' || !token) throw new Refusal('invalid_token', `scheme ${scheme || 'none'}: only DPoP-bound tokens are accepted`)
    const proof = req.headers.dpop
    if (typeof proof !== 'string' || proof.includes(',')) throw new Refusal('invalid_dpop_proof', 'exactly one DPoP proof is required')
    let payload: Record<string, unknown>
    let jwk: JWK
    try {
      const verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ALGS })
      payload = verified.payload
      jwk = verified.protectedHeader.jwk as JWK
    } catch (e) {
      throw new Refusal('invalid_dpop_proof', `proof signature/typ/alg: ${(e as Error).message}`)
    }
    if ('d' in jwk) throw new Refusal('invalid_dpop_proof', 'the proof jwk holds a private key')
    if (payload.htm !== req.method) throw new Refusal('invalid_dpop_proof', `htm ${String(payload.htm)} != ${req.method}`)
    const expectedHtu = `${url}${new URL(req.url ?? '/', url).pathname}`
    if (typeof payload.htu !== 'string' || payload.htu.replace(/[?#].*$/, '') !== expectedHtu) throw new Refusal('invalid_dpop_proof', `htu ${String(payload.htu)} != ${expectedHtu}`)
    if (typeof payload.jti !== 'string' || payload.jti.length < 16) throw new Refusal('invalid_dpop_proof', 'jti missing or short')
    if (typeof payload.iat !== 'number' || Math.abs(Date.now() / 1000 - payload.iat) > IAT_WINDOW_S) throw new Refusal('invalid_dpop_proof', 'iat missing or not recent')
    if (nonceRequired && payload.nonce !== nonce) throw new Refusal('use_dpop_nonce', 'a nonce from this server is required')
    if (seenJti.has(payload.jti)) throw new Refusal('invalid_dpop_proof', 'jti replayed')
    seenJti.add(payload.jti)
    const ath = createHash('sha256').update(token).digest('base64url')
    if (payload.ath !== ath) throw new Refusal('invalid_dpop_proof', 'ath does not match the access token')
    const stored = await tokens.AccessToken.find(token)
    if (!stored) throw new Refusal('invalid_token', 'unknown or expired access token')
    if (!stored.jkt) throw new Refusal('invalid_token', 'the access token is not DPoP-bound')
    if (stored.jkt !== (await calculateJwkThumbprint(jwk, 'sha256'))) throw new Refusal('invalid_token', 'cnf.jkt does not match the proof key')
    await checkStepUp(stored)
    return { sub: stored.accountId }
  }

  function cors(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin
    if (origin && origins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin)
      res.setHeader('vary', 'origin')
      res.setHeader('access-control-expose-headers', 'WWW-Authenticate, DPoP-Nonce')
    }
  }

  const server = createServer((req, res) => {
    cors(req, res)
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST')
      res.setHeader('access-control-allow-headers', 'authorization, dpop, content-type')
      res.writeHead(204).end()
      return
    }
    if (new URL(req.url ?? '/', url).pathname !== '/api/me') {
      res.writeHead(404).end()
      return
    }
    check(req).then(
      (body) => {
        stats.ok += 1
        res.setHeader('content-type', 'application/json')
        res.writeHead(200).end(JSON.stringify(body))
      },
      (e: unknown) => {
        const refusal = e instanceof Refusal ? e : new Refusal('invalid_token', String(e))
        stats.refusals.push(`${refusal.error}: ${refusal.message}`)
        if (refusal.error === 'use_dpop_nonce') {
          stats.nonceChallenges += 1
          res.setHeader('dpop-nonce', nonce)
        }
        if (refusal.error === 'insufficient_user_authentication') {
          stats.stepUpChallenges += 1
          const asked = [stepUp?.acr !== undefined && `acr_values="${stepUp.acr}"`, stepUp?.maxAgeS !== undefined && `max_age=${stepUp.maxAgeS}`].filter(Boolean).join(', ')
          const scheme = /^bearer /i.test(req.headers.authorization ?? '') ? 'Bearer' : 'DPoP'
          res.setHeader('www-authenticate', `${scheme} error="${refusal.error}", error_description="A stronger or more recent sign-in is required", ${asked}`)
        } else res.setHeader('www-authenticate', `DPoP error="${refusal.error}", algs="${ALGS.join(' ')}"`)
        res.setHeader('content-type', 'application/json')
        res.writeHead(401).end(JSON.stringify({ error: refusal.error }))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  return {
    url,
    stats: () => structuredClone(stats),
    reset() {
      stats = { ok: 0, refusals: [], nonceChallenges: 0, stepUpChallenges: 0 }
      stepUp = undefined
      bearer = false
      nonce = randomBytes(16).toString('base64url')
    },
    requireNonce(on) {
      nonceRequired = on
    },
    requireStepUp(demand) {
      stepUp = demand
    },
    acceptBearer(on) {
      bearer = on
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
