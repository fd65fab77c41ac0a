// The client's DPoP policy (`protocol.dpop`), loaded lazily with the rest of the DPoP code: which
// key a login is bound to, which requests carry proofs, when a key is deleted, and what a
// provider that ignores proofs (and issues Bearer tokens) gets: Bearer use, as it asked for.
import type { Session } from '../session/session'
import { createDPoP, type DPoPKeys, type DPoPProver } from './dpop'
import type { MakeAuthError } from '../protocol/flows/idTokenSignature'
import type { HttpOptions } from '../protocol/flows/http'
import type { TokenStorage } from '../storage/tokenStorage'
import type { DPoPClientOptions, DPoPWiring } from './types'

/** Keys of logins that have not come back yet, by id, with when their transaction expires. */
type Pending = Record<string, number>

/** True when the provider bound the tokens to the key (`token_type: DPoP`, RFC 9449 §5). */
export function isBound(session: Session): boolean {
  return session.dpopKey !== undefined && session.tokenType.toLowerCase() === 'dpop'
}

/**
 * Connects DPoP to the client: `openStorage` gives the client's guarded store, `http` its
 * settings, `fail` makes its AuthErrors (handed in, see parts/dpop.ts). Keys of abandoned logins (the user
 * never came back) are deleted once their transaction has expired, on the next login.
 */
export async function createDPoPWiring(
  opts: DPoPClientOptions,
  openStorage: () => Promise<TokenStorage>,
  http: HttpOptions,
  fail: MakeAuthError,
): Promise<DPoPWiring> {
  const storage = await openStorage()
  const keys: DPoPKeys = createDPoP({
    storage,
    // Stores that keep structured clones hold the CryptoKeys themselves.
    clonesValues: opts.storage === 'indexeddb' || opts.storage === 'memory',
    keyPrefix: opts.keyPrefix,
    fail,
  })
  /** The error a session gets when its key is gone: it ends, once, and says why. */
  const keyGone = () =>
    fail('ERR_DPOP_KEY', 'The DPoP key of this session is gone (site data cleared, a private window, or a browser that cannot store keys); sign in again')
  const setup = { http, now: opts.now }
  const pendingKey = `${opts.keyPrefix}dpop-pending`
  const resolve = (url: string | URL) => new URL(url, globalThis.location?.href)
  /** Provers already loaded, for the synchronous nonce check. */
  const loaded = new Map<string, DPoPProver>()

  async function prover(keyId: string): Promise<DPoPProver> {
    const p = await keys.prover(keyId)
    if (!p) throw keyGone()
    loaded.set(keyId, p)
    return p
  }

  async function pending(): Promise<Pending> {
    const raw = await storage.get<unknown>(pendingKey)
    return typeof raw === 'object' && raw !== null ? (raw as Pending) : {}
  }

  return {
    async forLogin(as, expiresAt, renewing) {
      if (renewing?.dpopKey !== undefined) return { keyId: renewing.dpopKey, jkt: (await prover(renewing.dpopKey)).jkt }
      const created = await keys.create(as.dpop_signing_alg_values_supported)
      const kept: Pending = {}
      for (const [keyId, until] of Object.entries(await pending())) {
        if (typeof until === 'number' && until > setup.now()) kept[keyId] = until
        else await keys.remove(keyId)
      }
      kept[created.keyId] = expiresAt
      await storage.set(pendingKey, kept)
      return created
    },
    async http(keyId) {
      if (keyId === undefined) return setup.http
      const p = await prover(keyId)
      return { ...setup.http, fetch: keys.fetchWith(p, setup.http.fetch) }
    },
    async claim(keyId, replaced) {
      const list = await pending()
      if (keyId in list) {
        delete list[keyId]
        await storage.set(pendingKey, list)
      }
      if (replaced !== undefined && replaced !== keyId) {
        loaded.delete(replaced)
        await keys.remove(replaced)
      }
    },
    async check(session) {
      return session.dpopKey === undefined || (await keys.prover(session.dpopKey)) !== undefined ? undefined : keyGone()
    },
    async release(session) {
      if (session?.dpopKey === undefined || session.dpopKeyBorrowed) return
      loaded.delete(session.dpopKey)
      await keys.remove(session.dpopKey).catch(() => {})
    },
    async headers(session, token, url, method = 'GET') {
      // A provider that ignored the proof issued a Bearer token: it is used as one.
      if (!session || !isBound(session)) return { authorization: `Bearer ${token}` }
      return keys.headers(await prover(session.dpopKey!), resolve(url), method, session.accessToken)
    },
    handleNonce(session, url, response) {
      const p = session?.dpopKey === undefined ? undefined : loaded.get(session.dpopKey)
      return p !== undefined && isBound(session!) && keys.challenge(p, resolve(url), response)
    },
  }
}
