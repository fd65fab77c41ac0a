// Reading an authorization response out of a URL. Kept apart from callback.ts (which imports
// oauth4webapi) so the popup's callback page can use it without loading the protocol library.

/** Parameters an authorization response may carry; all are removed from the URL afterwards. */
export const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state']

/**
 * Reads the `state` of an authorization response in `url`, or `undefined` when `url` is not a
 * response at all (no `code` and no `error`). An empty string means a response without `state`.
 */
export function callbackState(url: URL): string | undefined {
  const p = url.searchParams
  if (!p.has('code') && !p.has('error')) return undefined
  return p.get('state') ?? ''
}
