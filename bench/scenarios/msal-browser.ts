// The common scenario with @azure/msal-browser, as its docs show it.
import { PublicClientApplication } from '@azure/msal-browser'

const msal = new PublicClientApplication({
  auth: { clientId: 'spa', authority: 'https://id.example.com', redirectUri: `${location.origin}/callback` },
})
await msal.initialize()

document.querySelector('#login')!.addEventListener('click', () => void msal.loginRedirect({ scopes: ['openid', 'profile'] }))
document.querySelector('#logout')!.addEventListener('click', () => void msal.logoutRedirect())
const result = await msal.handleRedirectPromise()
const account = result?.account ?? msal.getAllAccounts()[0]
if (account) {
  const token = await msal.acquireTokenSilent({ scopes: ['openid', 'profile'], account })
  console.log(account.idTokenClaims, token.accessToken)
}
