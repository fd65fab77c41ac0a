// Provider metadata: read from storage while younger than http.metadataMaxAgeMs, else discovered;
// one request in flight per page, and a failure is not cached. The `provider` option is checked
// here, on first use: static metadata needs no storage; a seed is merged over the cached document
// on every read, so a changed seed applies at once, and a changed metadataUrl discovers again.
import type * as oauth from 'oauth4webapi'
import { discoverAt, metadataSource, withSeed } from '../flows/providerMetadata'
import type { HttpOptions } from '../flows/http'
import type { ResolvedOptions } from '../options'
import type { ClientStorage } from './clientStorage'

export function createMetadataCache(
  opts: ResolvedOptions,
  http: HttpOptions,
  storage: ClientStorage,
): () => Promise<oauth.AuthorizationServer> {
  let pending: Promise<oauth.AuthorizationServer> | undefined

  async function load(): Promise<oauth.AuthorizationServer> {
    const source = metadataSource(opts.issuer, opts.provider)
    if (source.kind === 'static') return source.metadata
    const s = await storage.open()
    const key = storage.keys.metadata
    const cached = await s.get<{ as?: oauth.AuthorizationServer; fetchedAt?: number; url?: string }>(key)
    if (
      typeof cached?.as?.issuer === 'string' &&
      sameUrl(cached.as.issuer, opts.issuer) &&
      typeof cached.fetchedAt === 'number' &&
      opts.now() - cached.fetchedAt < opts.metadataMaxAgeMs &&
      // Entries written before metadataUrl existed came from the standard address.
      (cached.url === undefined ? !opts.provider?.metadataUrl : cached.url === source.url.href)
    ) {
      return withSeed(cached.as, source.seed)
    }
    const as = await discoverAt(opts.issuer, source.url, http)
    await s.set(key, { as, fetchedAt: opts.now(), url: source.url.href })
    return withSeed(as, source.seed)
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
