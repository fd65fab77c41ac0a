// Providers whose discovery is elsewhere or incomplete: the `provider` option checked against the
// issuer, and ERR_DISCOVERY messages that say what the provider answered and which option to set.
// Loaded through import() (parts/metadataCache.ts) only when the option is set or discovery has
// failed, so apps that never need it load none of it.
//
// Like the other lazy modules, it imports no value from the rest of core (a shared value would
// make bundlers split that module into a chunk every app loads at start): the caller lends it
// what it needs as a ProviderKit. oauth4webapi too: a value import of it from here made bundlers
// split it out of the start bundle into a chunk of its own (measured in bench/size.test.ts).
import type * as oauth from 'oauth4webapi'
import type { AuthError, AuthErrorCode, AuthErrorOptions } from '../../errors'
import type { ProviderMetadata, ProviderOptions } from '../../providerOptions'
import type { HttpOptions } from './http'

/** What the client lends this module: errors.ts's makers and options.ts's URL check. */
export interface ProviderKit {
  /** `optionError` of errors.ts: the TypeError with code ERR_INVALID_OPTION naming the option. */
  optionError(option: string, message: string): TypeError
  /** `secureUrl` of options.ts: an absolute HTTPS URL (HTTP on loopback hosts) or that TypeError. */
  secureUrl(option: string, value: unknown): URL
  /** `new AuthError(code, message, options)`. */
  authError(code: AuthErrorCode, message: string, options: AuthErrorOptions): AuthError
}

/** What the `provider` option asks for, checked: complete metadata, or where to discover and what to merge. */
export type MetadataSource =
  | { readonly metadata: ProviderMetadata; readonly url?: undefined; readonly seed?: undefined }
  | { readonly metadata?: undefined; readonly url: URL | undefined; readonly seed: Partial<ProviderMetadata> | undefined }

/** Keys whose values are addresses the client sends requests or the browser to. */
const isAddress = (key: string) => key.endsWith('_endpoint') || key === 'jwks_uri'

/**
 * Checks the `provider` option against the configured issuer. `url` undefined: the standard
 * discovery address.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad key (`provider.metadataUrl`,
 *   `provider.metadata.token_endpoint`, ...).
 */
export function metadataSource(issuer: URL, provider: ProviderOptions, kit: ProviderKit): MetadataSource {
  const object = (option: string, value: unknown): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw kit.optionError(option, 'must be an object')
    return value as Record<string, unknown>
  }
  const addresses = (option: string, metadata: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(metadata)) if (isAddress(key) && value !== undefined) kit.secureUrl(`${option}.${key}`, value)
  }
  const sameIssuer = (option: string, value: unknown) => {
    let same = false
    try {
      same = typeof value === 'string' && new URL(value).href === issuer.href
    } catch {
      // not a URL: not the issuer either
    }
    if (!same) throw kit.optionError(`${option}.issuer`, `must equal the issuer option (${issuer.href})`)
  }

  const p = object('provider', provider) as ProviderOptions
  if (p.metadata !== undefined) {
    if (p.metadataUrl !== undefined || p.metadataSeed !== undefined) {
      throw kit.optionError('provider.metadata', 'is complete metadata, so give neither provider.metadataUrl nor provider.metadataSeed with it')
    }
    const metadata = object('provider.metadata', p.metadata)
    sameIssuer('provider.metadata', metadata.issuer)
    for (const key of ['authorization_endpoint', 'token_endpoint']) {
      if (metadata[key] === undefined) throw kit.optionError(`provider.metadata.${key}`, 'is required')
    }
    addresses('provider.metadata', metadata)
    return { metadata: Object.freeze({ ...(metadata as ProviderMetadata) }) }
  }
  const url = p.metadataUrl === undefined ? undefined : kit.secureUrl('provider.metadataUrl', p.metadataUrl)
  let seed: Partial<ProviderMetadata> | undefined
  if (p.metadataSeed !== undefined) {
    const s = object('provider.metadataSeed', p.metadataSeed)
    if (s.issuer !== undefined) sameIssuer('provider.metadataSeed', s.issuer)
    addresses('provider.metadataSeed', s)
    seed = Object.freeze({ ...(s as Partial<ProviderMetadata>) })
  }
  return { url, seed }
}

/** The standard discovery address (OpenID Connect Discovery 1.0 §4), as oauth4webapi builds it. */
export function standardMetadataUrl(issuer: URL): URL {
  const url = new URL(issuer.href)
  url.pathname = `${url.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`
  return url
}

/** oauth4webapi's code for "a JSON attribute differs from the expected value" (typed against its export). */
const JSON_ATTRIBUTE_COMPARISON: typeof oauth.JSON_ATTRIBUTE_COMPARISON = 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED'

const OPTION_HINT = 'set provider.metadataUrl to the address that serves the discovery document, or provider.metadata to the complete metadata'

/**
 * The ERR_DISCOVERY for a discovery answer oauth4webapi refused (`error`, thrown by
 * processDiscoveryResponse): the address asked, the status, where a redirect pointed, and the
 * option to set; or which issuers differ. Undefined for failures it has nothing to add to.
 * Redirects are never followed for the metadata itself.
 */
export async function explainDiscoveryFailure(
  error: unknown,
  response: Response,
  issuer: URL,
  at: URL | undefined,
  http: HttpOptions,
  kit: ProviderKit,
): Promise<AuthError | undefined> {
  const url = at ?? standardMetadataUrl(issuer)
  const status = response.status
  // fetch with redirect: 'manual' in a browser gives an opaque answer: status 0, no headers.
  const opaque = response.type === 'opaqueredirect'
  if (opaque || status !== 200) {
    await response.body?.cancel().catch(() => undefined)
    if (!opaque && (status < 300 || status >= 400)) {
      return kit.authError('ERR_DISCOVERY', `Discovery failed: GET ${url.href} answered HTTP ${status}, not the discovery document; ${OPTION_HINT}`, { cause: error, status })
    }
    const location = opaque ? await whereRedirectLeads(url, http) : response.headers.get('location')
    const target = location ? safeUrl(location, url) : undefined
    const answered = opaque ? 'a redirect (HTTP 3xx; the browser does not show which)' : `HTTP ${status}`
    const to = target ? ` with Location ${target}` : ' (its Location is hidden from this page)'
    const fix = target
      ? `if that address serves this provider's metadata, set provider.metadataUrl to '${target}' (or provider.metadata to the complete metadata)`
      : OPTION_HINT
    return kit.authError('ERR_DISCOVERY', `Discovery failed: GET ${url.href} answered ${answered}${to}; tokenkeep does not follow redirects for discovery: ${fix}`, {
      cause: error,
      ...(opaque ? {} : { status }),
    })
  }
  if ((error as { code?: unknown } | undefined)?.code === JSON_ATTRIBUTE_COMPARISON) {
    const found = ((error as { cause?: unknown }).cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer
    if (typeof found === 'string') {
      return kit.authError(
        'ERR_DISCOVERY',
        `Discovery failed: the document at ${url.href} names the issuer ${JSON.stringify(found)}, not the issuer option ${JSON.stringify(issuer.href)}; ` +
          'fix the issuer option (byte for byte, trailing slash included): the provider options never relax this check',
        { cause: error, status },
      )
    }
  }
  return undefined
}

/**
 * A browser hides a manual redirect's status and Location. To say where it leads, the same GET is
 * made once more letting the browser follow it; only the final address is read, never the body.
 * Undefined when that fails too (no CORS on the redirect, network).
 */
async function whereRedirectLeads(url: URL, http: HttpOptions): Promise<string | undefined> {
  try {
    const followed = await http.fetch(url.href, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(http.timeoutMs) })
    await followed.body?.cancel().catch(() => undefined)
    return followed.redirected && followed.url ? followed.url : undefined
  } catch {
    return undefined
  }
}

/** `value` as an absolute URL without credentials or fragment (nothing secret in a message). */
function safeUrl(value: string, base: URL): string | undefined {
  try {
    const u = new URL(value, base)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined
    u.username = ''
    u.password = ''
    u.hash = ''
    return u.href
  } catch {
    return undefined
  }
}
