// The common scenario with oidc-client-ts, as its docs show it.
import { UserManager } from 'oidc-client-ts'

const mgr = new UserManager({
  authority: 'https://id.example.com',
  client_id: 'spa',
  redirect_uri: `${location.origin}/callback`,
  post_logout_redirect_uri: location.origin,
})

document.querySelector('#login')!.addEventListener('click', () => void mgr.signinRedirect())
document.querySelector('#logout')!.addEventListener('click', () => void mgr.signoutRedirect())
if (location.search.includes('code=')) await mgr.signinRedirectCallback()
const user = await mgr.getUser()
console.log(user?.profile, user?.access_token)
