import { createAuthClient, debugLogger, userinfoClaims, type AuthClientOptions } from '@tokenkeep/core'
declare const options: AuthClientOptions
declare const draft: string
// ---cut---
const auth = createAuthClient({
  ...options,
  login: { resource: 'https://api.example.com/' },    // defaults for every login (RFC 8707 here)
  protocol: { userinfo: userinfoClaims() },            // merge userinfo claims into getUser()
  logger: debugLogger(console),                        // what the client decided and why; never a token
})
auth.login({ appState: { draft } })                    // back on getSnapshot().appState, never in a URL
auth.login({ popup: true, maxAgeS: 0, prompt: 'login' }) // re-authenticate; auth_time is checked
auth.login({ acrValues: 'urn:example:mfa' })           // step-up; the acr claim is checked (ERR_ACR_MISMATCH)
