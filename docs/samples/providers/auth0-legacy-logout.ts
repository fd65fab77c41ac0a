import { auth } from './auth0'

// Tenants without "RP-Initiated Logout End Session Endpoint Discovery" advertise no
// end_session_endpoint: sign out here (and revoke), then let the browser go to /v2/logout.
export function signOut(): Promise<void> {
  const url = new URL('https://shop.eu.auth0.com/v2/logout')
  url.searchParams.set('client_id', 'Q2hhbmdlIG1lIHRvIHlvdXIgaWQ')
  url.searchParams.set('returnTo', `${location.origin}/`) // listed in Allowed Logout URLs
  return auth.logout({ logoutUrl: url })
}
