import { auth } from './cognito'

// Cognito's discovery document has no end_session_endpoint; its /logout endpoint takes
// client_id and logout_uri (one of the app client's "Allowed sign-out URLs").
export function signOut(): Promise<void> {
  const url = new URL('https://shop.auth.eu-west-1.amazoncognito.com/logout')
  url.searchParams.set('client_id', '1example23456789abcdefghij')
  url.searchParams.set('logout_uri', `${location.origin}/`)
  // Forgets the session in every tab, revokes the refresh token, then goes to Cognito's /logout.
  return auth.logout({ logoutUrl: url })
}
