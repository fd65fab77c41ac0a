import { auth } from './cognito'

// Cognito's discovery document has no end_session_endpoint; its /logout endpoint takes
// client_id and logout_uri (one of the app client's "Allowed sign-out URLs").
export async function signOut(): Promise<void> {
  await auth.logout({ localOnly: true }) // forgets the session and revokes the refresh token
  const url = new URL('https://shop.auth.eu-west-1.amazoncognito.com/logout')
  url.searchParams.set('client_id', '1example23456789abcdefghij')
  url.searchParams.set('logout_uri', `${location.origin}/`)
  location.assign(url)
}
