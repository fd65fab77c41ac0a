declare const draft: string
// ---cut---
import { createAuthClient, debugLogger, userinfoClaims } from '@tokenkeep/core'

const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  login: { resource: 'https://api.example.com/', uiLocales: ['de', 'en'] }, // defaults for every login
  protocol: { userinfo: userinfoClaims() },                                 // merge userinfo claims
  logger: debugLogger(console),                                             // debug log, off by default
})

await auth.login({ appState: { draft }, loginHint: 'alice@example.com' })
await auth.login({ popup: true, maxAgeS: 0, prompt: 'login' })              // re-authenticate
await auth.login({ acrValues: 'urn:example:mfa' })                          // step-up
