declare function render(snapshot: unknown): void
declare const loginButton: HTMLButtonElement
declare const logoutButton: HTMLButtonElement
// ---cut---
import { createAuthClient } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,   // registered exactly at the provider
  postLogoutRedirectUri: `${location.origin}/`,
})

auth.subscribe(() => render(auth.getSnapshot()))  // { status, user, expiresAt, error }
await auth.start()                                // restores the session or finishes the redirect; never throws

loginButton.onclick = () => auth.login()                          // redirect to the provider
logoutButton.onclick = () => auth.logout()                        // local + revocation + provider logout
const response = await fetch('/api/orders', {
  headers: { Authorization: `Bearer ${await auth.getAccessToken()}` }, // fresh, renewed when needed
})
// or let createAuthFetch attach it, only where it belongs (docs/recipes/calling-apis.md)
