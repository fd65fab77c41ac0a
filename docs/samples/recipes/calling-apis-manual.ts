// ---cut---
import { auth } from './auth'

// Another HTTP client: ask for the token right before each request. It is renewed first when it
// is about to expire (once for all tabs), so never store it yourself.
export async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('Authorization', `Bearer ${await auth.getAccessToken()}`)
  const response = await fetch(url, { ...init, headers })
  if (response.status !== 401) return response
  // The API rejected a token the client thought valid (revoked, clock skew): renew once, retry once.
  headers.set('Authorization', `Bearer ${await auth.getAccessToken({ forceRefresh: true })}`)
  return fetch(url, { ...init, headers })
}
