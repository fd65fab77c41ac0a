// Where DPoP key pairs live and how the client gets a prover for a session's key. Loaded only when
// `protocol.dpop` is on (the client reaches it through a dynamic import).
import { createStore, del, get, set, type UseStore } from 'idb-keyval'
import type { AuthErrorCode } from '../errors'
import type { TokenStorage } from '../storage/tokenStorage'
import { challengesForNonce, createProver, generateDPoPKey, isDPoPKey, type DPoPKey, type DPoPProver, type NonceMemory } from './prover'

export type { DPoPProver } from './prover'

/** What {@link createDPoP} needs from the client. */
export interface DPoPSetup {
  /** The client's (guarded) store. */
  readonly storage: TokenStorage
  /**
   * Whether `storage` keeps structured clones (IndexedDB, memory), so it can hold the
   * non-extractable `CryptoKey`s itself. Otherwise keys go to the IndexedDB side store.
   */
  readonly clonesValues: boolean
  /** The client's key prefix (issuer + client id). */
  readonly keyPrefix: string
  /**
   * Makes the client's AuthError. Handed in rather than imported: a value this lazy chunk
   * imported from the main bundle would make bundlers split that module into a chunk of its own,
   * which every page then loads, DPoP or not.
   */
  readonly fail: (code: AuthErrorCode, message: string, cause?: unknown) => Error
}

/** The client's DPoP keys: one per sign-in, found again by the id the session records. */
export interface DPoPKeys {
  /**
   * Generates and stores a key pair for a new sign-in, with the provider's
   * `dpop_signing_alg_values_supported` deciding the algorithm (ES256 preferred).
   *
   * @throws AuthError `ERR_DISCOVERY` when the provider lists no algorithm this browser can use.
   */
  create(supportedAlgs: readonly string[] | undefined): Promise<{ keyId: string; jkt: string }>
  /** The prover for a stored key, or `undefined` when the key is gone (or unreadable). */
  prover(keyId: string): Promise<DPoPProver | undefined>
  /** Deletes a key; a key that is already gone is fine. */
  remove(keyId: string): Promise<void>
  /** A fetch that signs every request with the key (see `DPoPProver.wrapFetch`), nonces shared with other tabs. */
  fetchWith(prover: DPoPProver, send: typeof fetch): typeof fetch
  /** The headers for one resource request with `accessToken`: `authorization: DPoP ...` and the proof. */
  headers(prover: DPoPProver, url: URL, method: string, accessToken: string): Promise<{ authorization: string; dpop: string }>
  /**
   * Reads a resource server's answer: remembers its `DPoP-Nonce`, and is true when it asked for
   * one (`use_dpop_nonce`) and sent a new one, so the request is worth sending again, once.
   */
  challenge(prover: DPoPProver, url: URL, response: Response): boolean
}

/** The side store: its own database, so the app's `indexedDbStore` names never collide with it. */
const SIDE_DB = 'tokenkeep-dpop'

/**
 * Keeps DPoP keys through the storage contract: in the client's store when it keeps structured
 * clones, else in an IndexedDB side store under the client's prefix. Where IndexedDB is missing
 * or broken, keys stay in memory for the page (the session then ends on reload, with
 * `ERR_DPOP_KEY`, rather than failing every refresh).
 *
 * Nonces (RFC 9449 §8) are remembered per origin in memory and in the client's store, so a tab
 * that refreshes after another tab learned the nonce (or after a reload) does not pay the
 * `use_dpop_nonce` round trip again.
 */
export function createDPoP(setup: DPoPSetup): DPoPKeys {
  const { storage, clonesValues, keyPrefix, fail } = setup
  const slot = (keyId: string) => `${keyPrefix}dpop-key:${keyId}`
  const noncesKey = `${keyPrefix}dpop-nonces`
  const memoryKeys = new Map<string, DPoPKey>()
  const provers = new Map<string, Promise<DPoPProver | undefined>>()
  let side: UseStore | undefined

  const sideStore = (): UseStore => (side ??= createStore(SIDE_DB, 'keys'))

  async function save(keyId: string, key: DPoPKey): Promise<void> {
    if (clonesValues) return storage.set(slot(keyId), key)
    try {
      await set(slot(keyId), key, sideStore())
    } catch (cause) {
      // Private modes and iOS (DataCloneError) can refuse CryptoKeys: this page still works.
      console.warn('tokenkeep: could not store the DPoP key in IndexedDB; the session will end when this page closes', cause)
      memoryKeys.set(keyId, key)
    }
  }

  async function load(keyId: string): Promise<DPoPKey | undefined> {
    const kept = memoryKeys.get(keyId)
    if (kept) return kept
    try {
      const value = clonesValues ? await storage.get<unknown>(slot(keyId)) : await get<unknown>(slot(keyId), sideStore())
      return isDPoPKey(value) ? value : undefined
    } catch {
      return undefined
    }
  }

  const nonces = new Map<string, string>()
  const memory: NonceMemory = {
    get: (origin) => nonces.get(origin),
    set(origin, nonce) {
      nonces.set(origin, nonce)
      // Best effort: a lost write costs one round trip, nothing else.
      storage.set(noncesKey, Object.fromEntries(nonces)).catch(() => {})
    },
  }
  async function loadNonces(): Promise<void> {
    const stored = await storage.get<unknown>(noncesKey).catch(() => undefined)
    if (typeof stored !== 'object' || stored === null) return
    for (const [origin, nonce] of Object.entries(stored)) if (typeof nonce === 'string') nonces.set(origin, nonce)
  }

  return {
    async create(supportedAlgs) {
      let key: DPoPKey
      try {
        key = await generateDPoPKey(supportedAlgs)
      } catch (cause) {
        throw fail('ERR_DISCOVERY', `DPoP: ${(cause as Error).message}`, cause)
      }
      const keyId = crypto.randomUUID()
      await save(keyId, key)
      const prover = createProver(key, memory)
      provers.set(keyId, prover)
      return { keyId, jkt: (await prover).jkt }
    },
    prover(keyId) {
      let prover = provers.get(keyId)
      if (!prover) {
        prover = (async () => {
          await loadNonces()
          const key = await load(keyId)
          return key ? createProver(key, memory) : undefined
        })()
        provers.set(keyId, prover)
        // A key that is missing now may be written by a sign-in in progress: look again next time.
        void prover.then((p) => p ?? provers.delete(keyId))
      }
      return prover
    },
    async remove(keyId) {
      provers.delete(keyId)
      memoryKeys.delete(keyId)
      try {
        if (clonesValues) await storage.remove(slot(keyId))
        else await del(slot(keyId), sideStore())
      } catch {
        // Nothing stored, or IndexedDB is gone: either way the key cannot be used.
      }
    },
    fetchWith(prover, send) {
      const signed = prover.wrapFetch(send)
      return async (input, init) => {
        // Another tab may have learned a newer nonce; token requests are rare, one read is cheap.
        await loadNonces()
        return signed(input, init)
      }
    },
    async headers(prover, url, method, accessToken) {
      await loadNonces()
      return { authorization: `DPoP ${accessToken}`, dpop: await prover.proof(url, method, accessToken) }
    },
    challenge(prover, url, response) {
      return prover.remember(url, response) && challengesForNonce(response)
    },
  }
}
