// Providers whose discovery is elsewhere or incomplete: the `provider` option checked, the
// discovery document fetched from the standard path or `provider.metadataUrl`, and the seed merged
// over it. Runs on the protocol side, when metadata is first needed, so apps that never set the
// option pay nothing for it at start.
import * as oauth from 'oauth4webapi'
import { AuthError, optionError } from '../errors'
import { secureUrl } from '../options'
import { requestOptions, type HttpOptions } from './http'
import { toAuthError } from './oauthError'
import type { ProviderMetadata, ProviderOptions } from '../providerOptions'

/** Keys whose values are addresses the client sends requests or the browser to. */
const isAddress = (key: string) => key.endsWith('_endpoint') || key === 'jwks_uri'

function checkObject(option: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw optionError(option, 'must be an object')
  return value as Record<string, unknown>
}

function checkAddresses(option: string, metadata: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (isAddress(key) && value !== undefined) secureUrl(`${option}.${key}`, value)
  }
}

function checkIssuer(option: string, value: unknown, issuer: URL): void {
  let same = false
  try {
    same = typeof value === 'string' && new URL(value).href === issuer.href
  } catch {
    // not a URL: not the issuer either
  }
  if (!same) throw optionError(`${option}.issuer`, `must equal the issuer option (${issuer.href})`)
}

/** What the `provider` option asks for, checked. */
export type MetadataSource =
  | { readonly kind: 'static'; readonly metadata: ProviderMetadata }
  | { readonly kind: 'discovery'; readonly url: URL; readonly seed: Partial<ProviderMetadata> | undefined }

/** The standard discovery address (OpenID Connect Discovery 1.0 §4), as oauth4webapi builds it. */
export function standardMetadataUrl(issuer: URL): URL {
  const url = new URL(issuer.href)
  url.pathname = `${url.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`
  return url
}

/**
 * Checks the `provider` option against the configured issuer.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad key (`provider.metadataUrl`,
 *   `provider.metadata.token_endpoint`, ...).
 */
export function metadataSource(issuer: URL, provider: ProviderOptions | undefined): MetadataSource {
  if (provider === undefined) return { kind: 'discovery', url: standardMetadataUrl(issuer), seed: undefined }
  const p = checkObject('provider', provider) as ProviderOptions
  if (p.metadata !== undefined) {
    if (p.metadataUrl !== undefined || p.metadataSeed !== undefined) {
      throw optionError('provider.metadata', 'is complete metadata, so give neither provider.metadataUrl nor provider.metadataSeed with it')
    }
    const metadata = checkObject('provider.metadata', p.metadata)
    checkIssuer('provider.metadata', metadata.issuer, issuer)
    for (const key of ['authorization_endpoint', 'token_endpoint']) {
      if (metadata[key] === undefined) throw optionError(`provider.metadata.${key}`, 'is required')
    }
    checkAddresses('provider.metadata', metadata)
    return { kind: 'static', metadata: Object.freeze({ ...(metadata as ProviderMetadata) }) }
  }
  const url = p.metadataUrl === undefined ? standardMetadataUrl(issuer) : secureUrl('provider.metadataUrl', p.metadataUrl)
  let seed: Partial<ProviderMetadata> | undefined
  if (p.metadataSeed !== undefined) {
    const s = checkObject('provider.metadataSeed', p.metadataSeed)
    if (s.issuer !== undefined) checkIssuer('provider.metadataSeed', s.issuer, issuer)
    checkAddresses('provider.metadataSeed', s)
    seed = Object.freeze({ ...(s as Partial<ProviderMetadata>) })
  }
  return { kind: 'discovery', url, seed }
}

/** The discovered document with the seed merged over it; the issuer is always the document's (checked) one. */
export function withSeed(discovered: ProviderMetadata, seed: Partial<ProviderMetadata> | undefined): ProviderMetadata {
  return seed ? { ...discovered, ...seed, issuer: discovered.issuer } : discovered
}

/**
 * Fetches and validates the discovery document at `url` (OpenID Connect Discovery 1.0; the
 * `issuer` in it must equal the configured issuer exactly). Redirects are not followed: a 3xx is
 * an error that names the address it pointed to and the option to set.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc8414
 * @throws AuthError `ERR_DISCOVERY` or `ERR_NETWORK`
 */
export async function discoverAt(issuer: URL, url: URL, http: HttpOptions): Promise<ProviderMetadata> {
  const options = requestOptions(http)
  let response: Response
  try {
    if (url.href === standardMetadataUrl(issuer).href) {
      response = await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' })
    } else {
      // oauth4webapi derives the address from the issuer; for a given one (checked like the
      // issuer), the same request by hand: GET, JSON, no redirects followed, the same timeout.
      response = await options[oauth.customFetch](url.href, {
        method: 'GET',
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: options.signal(),
      })
    }
  } catch (e) {
    throw toAuthError(e, 'ERR_DISCOVERY', 'Discovery')
  }
  if (response.status !== 200) throw await unexpectedAnswer(url, response, http)
  try {
    return await oauth.processDiscoveryResponse(issuer, response)
  } catch (e) {
    const error = toAuthError(e, 'ERR_DISCOVERY', 'Discovery')
    const found = e instanceof oauth.OperationProcessingError && e.code === oauth.JSON_ATTRIBUTE_COMPARISON ? (e.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer : undefined
    const message =
      typeof found === 'string'
        ? `Discovery failed: the document at ${url.href} names the issuer ${JSON.stringify(found)}, not the issuer option ${JSON.stringify(issuer.href)}; fix the issuer option (byte for byte, trailing slash included): the provider options never relax this check`
        : `${error.message} (GET ${url.href}${hint(url, issuer)})`
    throw new AuthError(error.code, message, { cause: error.cause, status: response.status })
  }
}

const OPTION_HINT = 'set provider.metadataUrl to the address that serves the discovery document, or provider.metadata to the complete metadata'

function hint(url: URL, issuer: URL): string {
  return url.href === standardMetadataUrl(issuer).href ? `; if the provider publishes its metadata elsewhere, ${OPTION_HINT}` : ''
}

/** ERR_DISCOVERY for anything but 200: the address asked, the status, and where a redirect pointed. */
async function unexpectedAnswer(url: URL, response: Response, http: HttpOptions): Promise<AuthError> {
  const status = response.status
  // fetch with redirect: 'manual' in a browser gives an opaque answer: status 0, no headers.
  const opaque = response.type === 'opaqueredirect'
  const redirect = opaque || (status >= 300 && status < 400)
  await response.body?.cancel().catch(() => undefined)
  if (!redirect) {
    return new AuthError('ERR_DISCOVERY', `Discovery failed: GET ${url.href} answered HTTP ${status}, not the discovery document; ${OPTION_HINT}`, { status })
  }
  const location = opaque ? await whereRedirectLeads(url, http) : response.headers.get('location')
  const target = location ? safeUrl(location, url) : undefined
  const answered = opaque ? 'a redirect (HTTP 3xx; the browser does not show which)' : `HTTP ${status}`
  const to = target ? ` with Location ${target}` : ' (its Location is hidden from this page)'
  const fix = target
    ? `tokenkeep does not follow redirects for discovery: if that address serves this provider's metadata, set provider.metadataUrl to '${target}' (or provider.metadata to the complete metadata)`
    : `tokenkeep does not follow redirects for discovery: ${OPTION_HINT}`
  return new AuthError('ERR_DISCOVERY', `Discovery failed: GET ${url.href} answered ${answered}${to}; ${fix}`, opaque ? {} : { status })
}

/**
 * A browser hides a manual redirect's status and Location. To say where it leads, the same GET is
 * made once more letting the browser follow it; only the final address is read, never the body.
 * Undefined when that fails too (CORS on the redirect, network).
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
