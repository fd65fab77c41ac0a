// The client's DPoP policy (`protocol.dpop`), loaded lazily with the rest of the DPoP code: which
// key a login is bound to, which requests carry proofs, when a key is deleted, and what a
// provider that ignores proofs (and issues Bearer tokens) gets: Bearer use, as it asked for.
import { AuthError } from '../errors'
import type { Session } from '../session/session'
import { createDPoP, type DPoPKeys, type DPoPProver } from './dpop'
import type { DPoPWiring, DPoPWiringSetup } from './types'

/** Keys of logins that have not come back yet, by id, with when their transaction expires. */
type Pending = Record<string, number>

/** The error a session gets when its key is gone: it ends, once, and says why. */
export function keyGone(): AuthError {
  return new AuthError(
    'ERR_DPOP_KEY',
    'The DPoP key of this session is gone (site data cleared, a private window, or a browser that cannot store keys); sign in again',
  )
}

/** True when the provider bound the tokens to the key (`token_type: DPoP`, RFC 9449 §5). */
export function isBound(session: Session): boolean {
  return session.dpopKey !== undefined && session.tokenType.toLowerCase() === 'dpop'
}

/**
 * Connects DPoP to the client. Keys of abandoned logins (the user never came back) are deleted
 * once their transaction has expired, on the next login.
 */
export async function createDPoPWiring(setup: DPoPWiringSetup): Promise<DPoPWiring> {
  const storage = await setup.storage()
  const keys: DPoPKeys = createDPoP({ storage, clonesValues: setup.clonesValues, keyPrefix: setup.keyPrefix })
  const pendingKey = `${setup.keyPrefix}dpop-pending`
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
    async usable(session) {
      return session.dpopKey === undefined || (await keys.prover(session.dpopKey)) !== undefined
    },
    async release(session) {
      if (session?.dpopKey === undefined || session.dpopKeyBorrowed) return
      loaded.delete(session.dpopKey)
      await keys.remove(session.dpopKey)
    },
    async headers(session, url, method) {
      // A provider that ignored the proof issued a Bearer token: it is used as one.
      if (!isBound(session)) return { authorization: `Bearer ${session.accessToken}` }
      return keys.headers(await prover(session.dpopKey!), url, method, session.accessToken)
    },
    handleNonce(session, url, response) {
      const p = session?.dpopKey === undefined ? undefined : loaded.get(session.dpopKey)
      return p !== undefined && isBound(session!) && keys.challenge(p, url, response)
    },
  }
}
