// ---cut---
import { createAuthFetch, isAuthError } from '@tokenkeep/core'
import { auth } from './auth'

// The token goes to this page's origin and to the API's, never anywhere else.
const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'] })

export async function loadOrders(): Promise<unknown[]> {
  try {
    const response = await api('https://api.example.com/orders')
    if (!response.ok) throw new Error(`orders: HTTP ${response.status}`)
    return (await response.json()) as unknown[]
  } catch (e) {
    // No session, or the provider ended it: sign in and come back to this page.
    if (isAuthError(e, 'ERR_LOGIN_REQUIRED') || isAuthError(e, 'ERR_SESSION_EXPIRED')) {
      await auth.login()
      return []
    }
    throw e
  }
}
