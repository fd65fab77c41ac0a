// ---cut---
import { auth } from './auth'

// Another HTTP client: ask for the headers right before each request. The token is renewed first
// when it is about to expire (once for all tabs), so never store it yourself. getAuthHeaders gives
// `authorization` (Bearer, or DPoP with protocol.dpop) and, with DPoP, a `dpop` proof made for
// this method and URL, so the same code works with and without DPoP.
export async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const method = init.method ?? 'GET'
  const send = async (forceRefresh = false) => {
    const headers = new Headers(init.headers)
    for (const [name, value] of Object.entries(await auth.getAuthHeaders(url, { method, forceRefresh }))) {
      if (value !== undefined) headers.set(name, value)
    }
    return fetch(url, { ...init, method, headers })
  }
  const response = await send()
  // A DPoP API asked for its nonce (it is remembered now): once more with a new proof.
  if (auth.handleDPoPNonce(url, response)) return send()
  if (response.status !== 401) return response
  // The API rejected a token the client thought valid (revoked, clock skew): renew once, retry once.
  return send(true)
}
