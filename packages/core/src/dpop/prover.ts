// DPoP proofs (RFC 9449), loaded only when `protocol.dpop` is on. Proofs are signed with jose, not
// oauth4webapi's DPoP(): that handle lives in the oauth4webapi module every page loads, and any
// value this lazy chunk imported from it would make bundlers move oauth4webapi into a shared
// chunk and add its DPoP code (about 1.5 kB gz, measured) to every page, DPoP or not. The proof
// reaches oauth4webapi's request functions as their `DPoP` header, which they carry as it is
// (and for resource requests turn into `Authorization: DPoP`).
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from 'jose'

/** DPoP-Nonce values per origin (RFC 9449 §8, §9), shared by every request the prover signs. */
export interface NonceMemory {
  get(origin: string): string | undefined
  /** Called with every new nonce a server sends. */
  set(origin: string, nonce: string): void
}

/** Signs proofs with one key pair; what the client's requests and `getAuthHeaders` use. */
export interface DPoPProver {
  /** JWK SHA-256 thumbprint of the public key (RFC 7638), the `dpop_jkt` / `cnf.jkt` value. */
  readonly jkt: string
  /**
   * A fresh proof for one request: `htm`, `htu` (no query, no fragment), `iat`, a random `jti`,
   * the origin's remembered `nonce`, and with `accessToken` its hash as `ath`.
   */
  proof(url: URL, method: string, accessToken?: string): Promise<string>
  /** Remembers the `DPoP-Nonce` of a response for its origin; true when it is new. */
  remember(url: URL, response: Response): boolean
  /**
   * Wraps a fetch so every request it sends carries a proof (and an `Authorization` token moves
   * to the DPoP scheme with `ath`), nonces are remembered, and a `use_dpop_nonce` answer (token
   * endpoint: error body; resource server: `WWW-Authenticate: DPoP`) is retried once.
   */
  wrapFetch(send: typeof fetch): typeof fetch
}

/** Algorithms this client can generate keys for, most preferred first (ES256: RFC 9449 §11.2 suggests it, and every browser has it). */
const ALGORITHMS: Readonly<Record<string, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm>> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams,
  ES384: { name: 'ECDSA', namedCurve: 'P-384' } as EcKeyGenParams,
  Ed25519: { name: 'Ed25519' },
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as RsaHashedKeyGenParams,
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as RsaHashedKeyGenParams,
}

/** A DPoP key pair and the JWS algorithm it signs with. */
export interface DPoPKey {
  readonly alg: string
  readonly keyPair: CryptoKeyPair
}

/**
 * Generates a key pair whose private key cannot be exported, for the first algorithm of ours the
 * provider lists in `dpop_signing_alg_values_supported` (ES256 when it lists none), skipping any
 * the browser cannot generate.
 *
 * @throws Error naming the algorithms when none can be used (the caller turns it into an AuthError).
 */
export async function generateDPoPKey(supported: readonly string[] | undefined): Promise<DPoPKey> {
  const candidates = Object.keys(ALGORITHMS).filter((alg) => (supported?.length ? supported.includes(alg) : alg === 'ES256'))
  for (const alg of candidates) {
    try {
      const keyPair = (await crypto.subtle.generateKey(ALGORITHMS[alg]!, false, ['sign', 'verify'])) as CryptoKeyPair
      return { alg, keyPair }
    } catch {
      // This browser lacks the algorithm (Ed25519 is recent): try the next one.
    }
  }
  throw new Error(`no DPoP signing algorithm in common with the provider (it supports ${supported?.join(', ') || 'none'})`)
}

/** True for a stored value that is a usable DPoP key (structured clones keep CryptoKeys; JSON stores do not). */
export function isDPoPKey(value: unknown): value is DPoPKey {
  const v = value as Partial<DPoPKey> | undefined
  return (
    typeof v?.alg === 'string' &&
    v.alg in ALGORITHMS &&
    typeof CryptoKey !== 'undefined' &&
    v.keyPair?.privateKey instanceof CryptoKey &&
    v.keyPair.publicKey instanceof CryptoKey
  )
}

function b64u(bytes: ArrayBuffer): string {
  let s = ''
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Only the public members: exportJWK of a public key has no private ones, but say so explicitly. */
function publicMembers(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined)) as JWK
}

/**
 * Makes the prover for one key. The public key is exported once, for the proof header and the
 * thumbprint; the private key never leaves WebCrypto.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2 (proof JWT)
 */
export async function createProver(key: DPoPKey, nonces: NonceMemory): Promise<DPoPProver> {
  const jwk = publicMembers(await exportJWK(key.keyPair.publicKey))
  const jkt = await calculateJwkThumbprint(jwk, 'sha256')
  const alg = key.alg

  async function proof(url: URL, method: string, accessToken?: string): Promise<string> {
    const nonce = nonces.get(url.origin)
    const payload: Record<string, string> = { htm: method.toUpperCase(), htu: `${url.origin}${url.pathname}` }
    if (nonce !== undefined) payload.nonce = nonce
    if (accessToken !== undefined) payload.ath = b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)))
    return new SignJWT(payload)
      .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .sign(key.keyPair.privateKey)
  }

  function remember(url: URL, response: Response): boolean {
    const nonce = response.headers.get('dpop-nonce')
    if (!nonce || nonces.get(url.origin) === nonce) return false
    nonces.set(url.origin, nonce)
    return true
  }

  function wrapFetch(send: typeof fetch): typeof fetch {
    return async (input, init) => {
      const request = input instanceof Request ? input : undefined
      const url = new URL(request ? request.url : String(input))
      const method = init?.method ?? request?.method ?? 'GET'
      const once = async (): Promise<Response> => {
        const headers = new Headers(init?.headers ?? request?.headers)
        const token = /^(?:bearer|dpop) +(.+)$/i.exec(headers.get('authorization') ?? '')?.[1]
        headers.set('dpop', await proof(url, method, token))
        if (token !== undefined) headers.set('authorization', `DPoP ${token}`)
        const response = await send(input, { ...init, headers })
        remember(url, response)
        return response
      }
      const used = nonces.get(url.origin)
      const first = await once()
      // Retry only when the server sent a nonce other than the one this proof carried.
      if (nonces.get(url.origin) === used || !(await asksForNonce(first))) return first
      await first.body?.cancel().catch(() => {})
      return once()
    }
  }

  return { jkt, proof, remember, wrapFetch }
}

/**
 * `use_dpop_nonce` from a token endpoint (a 400 with that `error`, RFC 9449 §8) or a resource
 * server (a 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"`, §9). Reads a clone, so the
 * caller still gets the body when it is something else.
 */
export async function asksForNonce(response: Response): Promise<boolean> {
  if (challengesForNonce(response)) return true
  if (response.status !== 400 && response.status !== 401) return false
  try {
    const body = (await response.clone().json()) as { error?: unknown }
    return body?.error === 'use_dpop_nonce'
  } catch {
    return false
  }
}

/**
 * A resource server's `401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"` (RFC 9449 §9).
 * Header only: callers (apps through `handleDPoPNonce`) keep the body to themselves.
 */
export function challengesForNonce(response: Response): boolean {
  return response.status === 401 && /(^|[\s,])dpop\b[^]*\berror="?use_dpop_nonce\b/i.test(response.headers.get('www-authenticate') ?? '')
}
