import { EmbeddedJWK, base64url, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify, type JWK } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { createMemoryStorage } from '../storage/memoryStorage'
import { sessionStore } from '../storage/webStorage'
import { createDPoP } from './dpop'
import { asksForNonce, createProver, generateDPoPKey, type NonceMemory } from './prover'

function nonceMap(): NonceMemory & { map: Map<string, string> } {
  const map = new Map<string, string>()
  return { map, get: (o) => map.get(o), set: (o, n) => void map.set(o, n) }
}

async function verify(proof: string) {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })
  return { payload, header: protectedHeader }
}

const sha256 = async (s: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))))

describe('DPoP keys', () => {
  it('prefers ES256, follows the provider when it lists others, and refuses when nothing is in common', async () => {
    expect((await generateDPoPKey(undefined)).alg).toBe('ES256')
    expect((await generateDPoPKey(['RS256', 'ES256'])).alg).toBe('ES256')
    expect((await generateDPoPKey(['PS256'])).alg).toBe('PS256')
    await expect(generateDPoPKey(['HS256'])).rejects.toThrow(/no DPoP signing algorithm in common.*HS256/)
  })

  it('keeps the private key non-extractable', async () => {
    const { keyPair } = await generateDPoPKey(['ES256'])
    expect(keyPair.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('jwk', keyPair.privateKey)).rejects.toThrow()
  })
})

describe('DPoP proofs (RFC 9449 §4.2)', () => {
  it('carry typ, alg, the public jwk only, htm, htu without query or fragment, iat and a fresh jti', async () => {
    const key = await generateDPoPKey(['ES256'])
    const prover = await createProver(key, nonceMap())
    const url = new URL('https://id.example.com/token?x=1#frag')
    const a = await verify(await prover.proof(url, 'post'))
    const b = await verify(await prover.proof(url, 'POST'))
    expect(a.header.typ).toBe('dpop+jwt')
    expect(a.header.alg).toBe('ES256')
    expect(Object.keys(a.header.jwk as JWK).sort()).toEqual(['crv', 'kty', 'x', 'y'])
    expect(a.payload).toMatchObject({ htm: 'POST', htu: 'https://id.example.com/token' })
    expect(Math.abs((a.payload.iat as number) - Date.now() / 1000)).toBeLessThan(5)
    expect(a.payload.jti).toEqual(expect.any(String))
    expect(a.payload.jti).not.toBe(b.payload.jti)
    expect(a.payload.ath).toBeUndefined()
    expect(a.payload.nonce).toBeUndefined()
    expect(prover.jkt).toBe(await calculateJwkThumbprint(a.header.jwk as JWK, 'sha256'))
  })

  it('hash the access token into ath and carry the nonce remembered for that origin only', async () => {
    const nonces = nonceMap()
    const prover = await createProver(await generateDPoPKey(undefined), nonces)
    const api = new URL('https://api.example.com/orders')
    expect(prover.remember(api, new Response(null, { headers: { 'DPoP-Nonce': 'n-1' } }))).toBe(true)
    expect(prover.remember(api, new Response(null, { headers: { 'DPoP-Nonce': 'n-1' } }))).toBe(false)
    const { payload } = await verify(await prover.proof(api, 'GET', 'the-token'))
    expect(payload.ath).toBe(await sha256('the-token'))
    expect(payload.nonce).toBe('n-1')
    const other = await verify(await prover.proof(new URL('https://id.example.com/token'), 'POST'))
    expect(other.payload.nonce).toBeUndefined()
  })
})

describe('a fetch that signs requests', () => {
  const tokenUrl = 'https://id.example.com/token'

  it('retries a token request once with the nonce of a use_dpop_nonce answer, body and headers kept', async () => {
    const prover = await createProver(await generateDPoPKey(undefined), nonceMap())
    const seen: { proof: string; body: string; type: string | null }[] = []
    const send = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers)
      seen.push({ proof: headers.get('dpop')!, body: String(init?.body), type: headers.get('content-type') })
      if (seen.length === 1) {
        return Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': 'fresh' } })
      }
      return Response.json({ access_token: 'at', token_type: 'DPoP' }, { headers: { 'DPoP-Nonce': 'fresh' } })
    })
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt' })
    const response = await prover.wrapFetch(send)(tokenUrl, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(response.status).toBe(200)
    expect(send).toHaveBeenCalledTimes(2)
    expect((await verify(seen[0]!.proof)).payload.nonce).toBeUndefined()
    expect((await verify(seen[1]!.proof)).payload.nonce).toBe('fresh')
    expect(seen[1]!.body).toBe(body.toString())
    expect(seen[1]!.type).toBe('application/x-www-form-urlencoded')
  })

  it('does not retry twice, nor when the server sent no new nonce, nor for other errors', async () => {
    const nonces = nonceMap()
    const prover = await createProver(await generateDPoPKey(undefined), nonces)
    let n = 0
    const always = vi.fn(async () => Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': `n${++n}` } }))
    expect((await prover.wrapFetch(always)(tokenUrl, { method: 'POST' })).status).toBe(400)
    expect(always).toHaveBeenCalledTimes(2)

    const noNonce = vi.fn(async () => Response.json({ error: 'use_dpop_nonce' }, { status: 400 }))
    await prover.wrapFetch(noNonce)(tokenUrl, { method: 'POST' })
    expect(noNonce).toHaveBeenCalledTimes(1)

    const grant = vi.fn(async () => Response.json({ error: 'invalid_grant' }, { status: 400, headers: { 'DPoP-Nonce': 'other' } }))
    const answer = await prover.wrapFetch(grant)(tokenUrl, { method: 'POST' })
    expect(grant).toHaveBeenCalledTimes(1)
    // The caller still reads the body (the check read a clone).
    expect(await answer.json()).toEqual({ error: 'invalid_grant' })
  })

  it('moves a bearer token to the DPoP scheme with ath, and retries a resource server nonce challenge', async () => {
    const prover = await createProver(await generateDPoPKey(undefined), nonceMap())
    const auth: string[] = []
    const proofs: string[] = []
    const send = vi.fn(async (_i: RequestInfo | URL, init?: RequestInit) => {
      const h = new Headers(init?.headers)
      auth.push(h.get('authorization')!)
      proofs.push(h.get('dpop')!)
      return auth.length === 1
        ? new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce"', 'DPoP-Nonce': 'rs-1' } })
        : new Response('ok')
    })
    const response = await prover.wrapFetch(send)('https://api.example.com/me', { headers: { authorization: 'Bearer tok' } })
    expect(await response.text()).toBe('ok')
    expect(auth).toEqual(['DPoP tok', 'DPoP tok'])
    const second = await verify(proofs[1]!)
    expect(second.payload).toMatchObject({ htm: 'GET', nonce: 'rs-1', ath: await sha256('tok') })
  })

  it('recognises nonce challenges only where RFC 9449 puts them', async () => {
    expect(await asksForNonce(new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="x", DPoP error="use_dpop_nonce"' } }))).toBe(true)
    expect(await asksForNonce(new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"' } }))).toBe(false)
    expect(await asksForNonce(Response.json({ error: 'use_dpop_nonce' }, { status: 500 }))).toBe(false)
    expect(await asksForNonce(new Response('not json', { status: 400 }))).toBe(false)
  })
})

describe('where keys live', () => {
  const fail = (code: AuthError['code'], message: string, cause?: unknown) => new AuthError(code, message, { cause })
  const prefix = 'tk:spa@https://id.example.com/:'

  it('a structured-clone store holds the CryptoKeys itself', async () => {
    const storage = createMemoryStorage()
    const keys = createDPoP({ storage, clonesValues: true, keyPrefix: prefix, fail })
    const { keyId, jkt } = await keys.create(['ES256'])
    const stored = await storage.get<{ keyPair: CryptoKeyPair }>(`${prefix}dpop-key:${keyId}`)
    expect(stored?.keyPair.privateKey).toBeInstanceOf(CryptoKey)
    // Another client on the same store (a reload, another tab) finds the same key.
    const again = await createDPoP({ storage, clonesValues: true, keyPrefix: prefix, fail }).prover(keyId)
    expect(again?.jkt).toBe(jkt)
    await keys.remove(keyId)
    expect(await storage.get(`${prefix}dpop-key:${keyId}`)).toBeUndefined()
    expect(await createDPoP({ storage, clonesValues: true, keyPrefix: prefix, fail }).prover(keyId)).toBeUndefined()
  })

  it('a JSON store keeps no key: the key goes to the IndexedDB side store, and a reload finds it there', async () => {
    sessionStorage.clear()
    const storage = sessionStore()
    const keys = createDPoP({ storage, clonesValues: false, keyPrefix: prefix, fail })
    const { keyId, jkt } = await keys.create(undefined)
    expect(Object.keys(sessionStorage).filter((k) => k.includes('dpop-key'))).toEqual([])
    const reloaded = createDPoP({ storage, clonesValues: false, keyPrefix: prefix, fail })
    expect((await reloaded.prover(keyId))?.jkt).toBe(jkt)
    await reloaded.remove(keyId)
    expect(await createDPoP({ storage, clonesValues: false, keyPrefix: prefix, fail }).prover(keyId)).toBeUndefined()
  })

  it('a key that JSON turned into {} counts as gone, not as a key', async () => {
    const storage = createMemoryStorage()
    await storage.set(`${prefix}dpop-key:k1`, JSON.parse(JSON.stringify({ alg: 'ES256', keyPair: {} })))
    expect(await createDPoP({ storage, clonesValues: true, keyPrefix: prefix, fail }).prover('k1')).toBeUndefined()
  })

  it('nonces learned in one tab are used by the next tab without a round trip', async () => {
    const storage = createMemoryStorage()
    const first = createDPoP({ storage, clonesValues: true, keyPrefix: prefix, fail })
    const { keyId } = await first.create(undefined)
    const learnt = vi.fn(async () => new Response('{}', { headers: { 'DPoP-Nonce': 'shared' } }))
    await first.fetchWith((await first.prover(keyId))!, learnt)('https://id.example.com/token', { method: 'POST' })
    await vi.waitFor(async () => expect(await storage.get(`${prefix}dpop-nonces`)).toEqual({ 'https://id.example.com': 'shared' }))

    const second = createDPoP({ storage, clonesValues: true, keyPrefix: prefix, fail })
    const proofs: string[] = []
    const send = vi.fn(async (_i: RequestInfo | URL, init?: RequestInit) => {
      proofs.push(new Headers(init?.headers).get('dpop')!)
      return new Response('{}')
    })
    await second.fetchWith((await second.prover(keyId))!, send)('https://id.example.com/token', { method: 'POST' })
    expect(send).toHaveBeenCalledTimes(1)
    expect(decodeProtectedHeader(proofs[0]!).typ).toBe('dpop+jwt')
    expect((await verify(proofs[0]!)).payload.nonce).toBe('shared')
  })

  it('refuses a provider whose algorithms this client cannot use, as a discovery problem', async () => {
    const keys = createDPoP({ storage: createMemoryStorage(), clonesValues: true, keyPrefix: prefix, fail })
    await expect(keys.create(['HS256'])).rejects.toMatchObject({ code: 'ERR_DISCOVERY' })
  })
})
