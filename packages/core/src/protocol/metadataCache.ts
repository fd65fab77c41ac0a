// Provider metadata: read from storage while younger than http.metadataMaxAgeMs, else discovered;
// one request in flight per page, and a failure is not cached.
import type * as oauth from 'oauth4webapi'
import { discover } from './flows/discovery'
import type { HttpOptions } from './flows/http'
import type { ResolvedOptions } from '../options'
import type { ClientStorage } from '../start/clientStorage'

export function createMetadataCache(
  opts: ResolvedOptions,
  http: HttpOptions,
  storage: ClientStorage,
): () => Promise<oauth.AuthorizationServer> {
  let pending: Promise<oauth.AuthorizationServer> | undefined

  async function load(): Promise<oauth.AuthorizationServer> {
    const s = await storage.open()
    const key = storage.keys.metadata
    const cached = await s.get<{ as?: oauth.AuthorizationServer; fetchedAt?: number }>(key)
    if (
      typeof cached?.as?.issuer === 'string' &&
      sameUrl(cached.as.issuer, opts.issuer) &&
      typeof cached.fetchedAt === 'number' &&
      opts.now() - cached.fetchedAt < opts.metadataMaxAgeMs
    ) {
      return cached.as
    }
    const as = await discover(opts.issuer, http)
    await s.set(key, { as, fetchedAt: opts.now() })
    return as
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
