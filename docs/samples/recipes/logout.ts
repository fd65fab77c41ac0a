declare const logoutButton: HTMLButtonElement
declare const switchUserButton: HTMLButtonElement
// ---cut---
import { auth } from './auth'

// Sign out here, in every tab, and at the provider.
logoutButton.onclick = () => auth.logout()

// Providers that ask "Do you want to sign out?" without a hint (Keycloak, the dev provider's
// RP-initiated logout page, Zitadel's login UI) or require one (Okta) end the session at once
// with it. It puts the ID token in the address of that one request: opt in per call.
export const logoutWithHint = () => auth.logout({ idTokenHint: true })

// Only this app forgets the user; the provider session stays (a later login may be silent).
export const forgetHere = () => auth.logout({ localOnly: true })

// "Sign in as someone else": keep the provider session, but make it ask.
switchUserButton.onclick = () => auth.login({ prompt: 'login' })
