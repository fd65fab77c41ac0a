// The common scenario with @axa-fr/oidc-client, as its README shows it.
import { OidcClient } from '@axa-fr/oidc-client'

const oidc = OidcClient.getOrCreate(() => fetch)({
  authority: 'https://id.example.com',
  client_id: 'spa',
  redirect_uri: `${location.origin}/callback`,
  scope: 'openid profile offline_access',
})

document.querySelector('#login')!.addEventListener('click', () => void oidc.loginAsync('/'))
document.querySelector('#logout')!.addEventListener('click', () => void oidc.logoutAsync())
if (location.pathname === '/callback') await oidc.loginCallbackAsync()
else await oidc.tryKeepExistingSessionAsync()
console.log(await oidc.userInfoAsync(), (await oidc.getValidTokenAsync()).tokens.accessToken)
