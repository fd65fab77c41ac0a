// Provider metadata: read from storage while younger than http.metadataMaxAgeMs, else discovered;
// one request in flight per page, and a failure is not cached. The `provider` option is checked
// on first use by flows/providerMetadata.ts, loaded only when the option is set or discovery
// failed: static metadata needs no storage; a seed is merged over the cached document on every
// read, so a changed seed applies at once; a changed metadataUrl discovers again.
import type * as oauth from 'oauth4webapi'
import type { ResolvedOptions } from '../options'
import type { ClientStorage } from '../start/clientStorage'
import { discover, type ExplainDiscovery } from './flows/discovery'
import type { HttpOptions } from './flows/http'
import type { ProviderKit } from './flows/providerMetadata'
import { AuthError, optionError, secureUrl } from './kit'


/** Built when used, not at module load: the kit's values are installed after this module loaded. */
const providerKit = (): ProviderKit => ({ optionError, secureUrl, authError: (code, message, options) => new AuthError(code, message, options) })

export function createMetadataCache(
  opts: ResolvedOptions,
  http: HttpOptions,
  storage: ClientStorage,
): () => Promise<oauth.AuthorizationServer> {
  let pending: Promise<oauth.AuthorizationServer> | undefined
  let code: Promise<typeof import('./flows/providerMetadata')> | undefined
  const lazy = () =>
    (code ??= import('./flows/providerMetadata').catch((cause: unknown) => {
      code = undefined
      throw new AuthError('ERR_NETWORK', 'Could not load the provider metadata code', { cause })
    }))
  const explain: ExplainDiscovery = async (error, response, at) => (await lazy()).explainDiscoveryFailure(error, response, opts.issuer, at, http, providerKit())

  async function load(): Promise<oauth.AuthorizationServer> {
    const source = opts.provider === undefined ? undefined : (await lazy()).metadataSource(opts.issuer, opts.provider, providerKit())
    if (source?.metadata) return source.metadata
    const at = source?.url
    const seed = source?.seed
    const merged = (as: oauth.AuthorizationServer) => (seed ? { ...as, ...seed, issuer: as.issuer } : as)
    const s = await storage.open()
    const key = storage.keys.metadata
    const cached = await s.get<{ as?: oauth.AuthorizationServer; fetchedAt?: number; url?: string }>(key)
    if (
      typeof cached?.as?.issuer === 'string' &&
      sameUrl(cached.as.issuer, opts.issuer) &&
      typeof cached.fetchedAt === 'number' &&
      opts.now() - cached.fetchedAt < opts.metadataMaxAgeMs &&
      // Entries without `url` came from the standard address, as does discovery without metadataUrl.
      cached.url === at?.href
    ) {
      return merged(cached.as)
    }
    const as = await discover(opts.issuer, http, at, explain)
    await s.set(key, at ? { as, fetchedAt: opts.now(), url: at.href } : { as, fetchedAt: opts.now() })
    return merged(as)
  }

  return () =>
    (pending ??= load().catch((e: unknown) => {
      pending = undefined
      throw e
    }))
}

function sameUrl(value: string, expected: URL): boolean {
  try {
    return new URL(value).href === expected.href
  } catch {
    return false
  }
}
