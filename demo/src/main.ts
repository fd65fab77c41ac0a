import {
  createAuthClient,
  createAuthFetch,
  idleSignOut,
  debugLogger,
  dpopProofs,
  popupLogin,
  silentLogin,
  userinfoClaims,
  type AuthSnapshot,
  type LoginOptions,
  type Prompt,
  type ProviderOptions,
  type StorageName,
  type TokenStorage,
} from '@tokenkeep/core'

declare const __TK_CONFIG__: { issuer: string; clientId: string }

// The store is chosen with ?storage=... and remembered, so it survives the trip to the provider.
const STORAGE_KEY = 'tk-demo-storage'
const requested = new URLSearchParams(location.search).get('storage')
if (requested) localStorage.setItem(STORAGE_KEY, requested)
const storageChoice = localStorage.getItem(STORAGE_KEY) ?? 'session'

/** An app-written store, to show that any object with get/set/remove plugs in. */
function prefixedLocalStore(prefix: string): TokenStorage {
  return {
    async get(key) {
      const raw = localStorage.getItem(prefix + key)
      return raw === null ? undefined : JSON.parse(raw)
    },
    async set(key, value) {
      localStorage.setItem(prefix + key, JSON.stringify(value))
    },
    async remove(key) {
      localStorage.removeItem(prefix + key)
    },
  }
}

/** A store that fails on every call, like storage in some private-browsing modes. */
const brokenStore: TokenStorage = {
  get: () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError')),
  set: () => Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError')),
  remove: () => Promise.reject(new DOMException('The operation is insecure.', 'SecurityError')),
}

// Popup switches, read from this page's URL: ?popupTimeout=ms, ?popupFallback=1 (redirect when
// blocked), ?popupOnLoad=1 (start a popup login with no click at all, which browsers block).
const params = new URLSearchParams(location.search)
const popupTimeout = params.get('popupTimeout')

// Protocol switches, remembered like the store so they survive the trip to the provider:
// ?verifySignature=1 (check ID token signatures against the JWKS), ?par=always (push every
// authorization request), ?dpop=1 (DPoP-bound tokens); ?verifySignature=0 / ?par=auto / ?dpop=0
// switch them back.
const PROTOCOL_KEY = 'tk-demo-protocol'
const protocol = JSON.parse(localStorage.getItem(PROTOCOL_KEY) ?? '{}') as { verifySignature?: boolean; par?: 'auto' | 'always'; dpop?: boolean }
if (params.has('verifySignature')) protocol.verifySignature = params.get('verifySignature') === '1'
if (params.has('dpop')) protocol.dpop = params.get('dpop') === '1'
if (params.get('par') === 'always' || params.get('par') === 'auto') protocol.par = params.get('par') as 'auto' | 'always'
localStorage.setItem(PROTOCOL_KEY, JSON.stringify(protocol))

// Silent renewal (prompt=none in a hidden iframe) for sessions without a refresh token:
// ?silent=1 turns it on, ?silent=0 off, ?silentTimeout=ms sets its timeout; both are remembered
// like the store, so they survive the trip to the provider (the client on /callback has no query).
const SILENT_KEY = 'tk-demo-silent'
const SILENT_TIMEOUT_KEY = 'tk-demo-silent-timeout'
if (params.has('silent')) localStorage.setItem(SILENT_KEY, params.get('silent') === '1' ? '1' : '0')
if (params.has('silentTimeout')) localStorage.setItem(SILENT_TIMEOUT_KEY, params.get('silentTimeout')!)
const silentTimeout = localStorage.getItem(SILENT_TIMEOUT_KEY)
const silent =
  localStorage.getItem(SILENT_KEY) === '1'
    ? silentLogin({ redirectUri: `${location.origin}/silent-callback.html`, ...(silentTimeout ? { timeoutMs: Number(silentTimeout) } : {}) })
    : undefined

// Userinfo and debug logging, remembered like the store: ?userinfo=1 (after sign-in),
// ?userinfo=refresh (after every renewal too), ?userinfo=0; ?logger=1 logs to the console, ?logger=0.
const USERINFO_KEY = 'tk-demo-userinfo'
const LOGGER_KEY = 'tk-demo-logger'
if (params.has('userinfo')) localStorage.setItem(USERINFO_KEY, params.get('userinfo')!)
if (params.has('logger')) localStorage.setItem(LOGGER_KEY, params.get('logger')!)
const userinfoChoice = localStorage.getItem(USERINFO_KEY)
const userinfo = userinfoChoice === 'refresh' || userinfoChoice === '1' ? userinfoClaims({ afterRefresh: userinfoChoice === 'refresh' }) : undefined

// The provider description (docs/providers/any-provider.md), remembered like the store:
// ?provider=<the `provider` option as JSON>, e.g. {"metadataUrl":"..."} or {"metadataSeed":{...}};
// ?provider= (empty) drops it.
const PROVIDER_KEY = 'tk-demo-provider'
if (params.has('provider')) {
  if (params.get('provider')) localStorage.setItem(PROVIDER_KEY, params.get('provider')!)
  else localStorage.removeItem(PROVIDER_KEY)
}
const provider = JSON.parse(localStorage.getItem(PROVIDER_KEY) ?? 'null') as ProviderOptions | null

const storage: StorageName | TokenStorage =
  storageChoice === 'custom' ? prefixedLocalStore('demo-custom:') : storageChoice === 'broken' ? brokenStore : (storageChoice as StorageName)

// ?idle=afterMs,warnMs turns idle sign-out on (remembered like the store; ?idle=off turns it
// off); ?idleLogout=local signs out here only instead of visiting the provider.
const IDLE_KEY = 'tk-demo-idle'
if (params.has('idle')) localStorage.setItem(IDLE_KEY, params.get('idle') === 'off' ? '' : `${params.get('idle')};${params.get('idleLogout') ?? ''}`)
const [idleTimes, idleLogout] = (localStorage.getItem(IDLE_KEY) || '').split(';')
const [idleAfterMs, idleWarnMs] = (idleTimes ?? '').split(',').map(Number)
const idle = idleAfterMs ? idleSignOut({ afterMs: idleAfterMs, ...(idleWarnMs !== undefined ? { warnMs: idleWarnMs } : {}), logout: idleLogout === 'local' ? { localOnly: true } : {} }) : undefined

const auth = createAuthClient({
  issuer: __TK_CONFIG__.issuer,
  clientId: __TK_CONFIG__.clientId,
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: 'openid profile email',
  storage,
  protocol: { verifySignature: protocol.verifySignature ?? false, par: protocol.par ?? 'auto', ...(protocol.dpop ? { dpop: dpopProofs() } : {}), ...(userinfo ? { userinfo } : {}) },
  ...(localStorage.getItem(LOGGER_KEY) === '1' ? { logger: debugLogger(console) } : {}),
  refresh: { ...(silent ? { silent } : {}) },
  ...(provider ? { provider } : {}),
  ...(idle ? { idle } : {}),
  popup: popupLogin({
    redirectUri: `${location.origin}/popup-callback.html`,
    ...(popupTimeout ? { timeoutMs: Number(popupTimeout) } : {}),
    fallbackToRedirect: params.get('popupFallback') === '1',
  }),
})
;(window as unknown as { __tk: typeof auth }).__tk = auth

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)!

function render(s: AuthSnapshot): void {
  $('status').textContent = s.status
  $('user-name').textContent = String(s.user?.name ?? '')
  $('user-sub').textContent = String(s.user?.sub ?? '')
  $('user-email').textContent = String(s.user?.email ?? '')
  $('user-picture').textContent = String(s.user?.picture ?? '')
  // Protocol claims are not in `user` (the profile): they are the ID token's.
  const idToken = auth.getIdTokenClaims()
  $('user-auth-time').textContent = typeof idToken?.auth_time === 'number' ? new Date(idToken.auth_time * 1000).toISOString() : ''
  $('user-acr').textContent = String(idToken?.acr ?? '')
  $('app-state').textContent = s.appState === undefined ? '' : JSON.stringify(s.appState)
  $('expires-at').textContent = s.expiresAt ? new Date(s.expiresAt).toISOString() : ''
  $('idle-row').hidden = s.idleDeadlineAt == null
  $('idle-deadline').textContent = s.idleDeadlineAt == null ? '' : new Date(s.idleDeadlineAt).toISOString()
  $('error').hidden = !s.error
  $('error-code').textContent = s.error?.code ?? ''
  $('error-message').textContent = s.error?.message ?? ''
  $('warning').hidden = !s.warning
  $('warning-code').textContent = s.warning?.code ?? ''
  $('warning-message').textContent = s.warning?.message ?? ''
  const signedIn = s.status === 'authenticated'
  $<HTMLButtonElement>('login').disabled = signedIn || s.status === 'loading'
  $<HTMLButtonElement>('login-popup').disabled = signedIn || s.status === 'loading'
  $<HTMLButtonElement>('reauth').disabled = !signedIn
  $<HTMLButtonElement>('reauth-popup').disabled = !signedIn
  $<HTMLButtonElement>('logout').disabled = !signedIn
  $<HTMLButtonElement>('get-token').disabled = !signedIn
  $<HTMLButtonElement>('call-api').disabled = !signedIn
  $<HTMLButtonElement>('call-rs').disabled = !signedIn
  tick()
}

function tick(): void {
  const { expiresAt } = auth.getSnapshot()
  $('expires-in').textContent = expiresAt ? String(Math.max(0, Math.round((expiresAt - Date.now()) / 1000))) : ''
}
setInterval(tick, 1000)

const select = $<HTMLSelectElement>('storage')
select.value = storageChoice
select.addEventListener('change', () => {
  localStorage.setItem(STORAGE_KEY, select.value)
  location.reload()
})

/** The "Login options" form as login() options: only the fields that are filled in. */
function loginOptions(): LoginOptions {
  const value = (id: string) => $<HTMLInputElement>(id).value.trim()
  const words = (id: string) => value(id).split(/\s+/).filter(Boolean)
  const options: LoginOptions = {}
  if (value('opt-prompt')) options.prompt = value('opt-prompt') as Prompt
  if (value('opt-max-age')) options.maxAgeS = Number(value('opt-max-age'))
  if (value('opt-acr')) options.acrValues = words('opt-acr')
  if (value('opt-login-hint')) options.loginHint = value('opt-login-hint')
  if (value('opt-ui-locales')) options.uiLocales = words('opt-ui-locales')
  if (value('opt-resource')) options.resource = words('opt-resource')
  // Handed back on the snapshot after the sign-in; it never travels in a URL.
  if (value('opt-app-state')) options.appState = { note: value('opt-app-state'), from: location.pathname }
  return options
}

function startRedirectLogin(): void {
  $('login-result').textContent = 'pending'
  auth.login(loginOptions()).catch((e: unknown) => ($('login-result').textContent = (e as { code?: string }).code ?? String(e)))
}
$('login').addEventListener('click', startRedirectLogin)
$('reauth').addEventListener('click', startRedirectLogin)

/** Shows how the last login() call ended, including refusals that don't touch the snapshot. */
function startPopupLogin(): void {
  $('login-result').textContent = 'pending'
  // Called straight from the click, no await before it: the popup opens inside the gesture.
  auth.login({ ...loginOptions(), popup: true }).then(
    () => ($('login-result').textContent = 'ok'),
    (e: unknown) => ($('login-result').textContent = (e as { code?: string }).code ?? String(e)),
  )
}
$('still-here').addEventListener('click', () => idle?.stillHere())
$('login-popup').addEventListener('click', startPopupLogin)
$('reauth-popup').addEventListener('click', startPopupLogin)
$('logout').addEventListener('click', () => {
  auth.logout().catch((e: unknown) => console.error(e))
})
$('get-token').addEventListener('click', async () => {
  try {
    const token = await auth.getAccessToken()
    // Never show a whole token: a prefix and the length are enough to see it change.
    $('token-info').textContent = `${token.slice(0, 8)}… (${token.length} chars)`
  } catch (e) {
    $('token-info').textContent = (e as { code?: string }).code ?? String(e)
  }
})
// The token goes to this page's origin and the provider's (for userinfo), and nowhere else; a
// 401 invalid_token renews it once and retries.
// ?api=<origin> names an API of the app's own (remembered like the store): "Call API" sends
// GET <origin>/api/me through the same fetch, so it gets the token (and DPoP proofs) too.
const API_KEY = 'tk-demo-api'
if (params.has('api')) localStorage.setItem(API_KEY, params.get('api')!)
const apiOrigin = localStorage.getItem(API_KEY) || undefined
// ?stepUp=popup|redirect: an API's step-up challenge (RFC 9470) signs in again that way.
const STEP_UP_KEY = 'tk-demo-step-up'
if (params.has('stepUp')) localStorage.setItem(STEP_UP_KEY, params.get('stepUp')!)
const stepUp = localStorage.getItem(STEP_UP_KEY)
const apiFetch = createAuthFetch(auth, {
  allowedOrigins: [new URL(__TK_CONFIG__.issuer).origin, ...(apiOrigin ? [apiOrigin] : [])],
  ...(stepUp === 'popup' || stepUp === 'redirect' ? { stepUp } : {}),
})
$('call-rs').hidden = !apiOrigin
$('call-rs').addEventListener('click', async () => {
  try {
    const response = await apiFetch(`${apiOrigin}/api/me`)
    const body = (await response.json()) as { sub?: string; error?: string }
    $('rs-result').textContent = response.ok ? `sub=${body.sub}` : `HTTP ${response.status} ${body.error ?? ''}`
  } catch (e) {
    $('rs-result').textContent = (e as { code?: string }).code ?? String(e)
  }
})
$('call-api').addEventListener('click', async () => {
  try {
    const discovery = await fetch(new URL('.well-known/openid-configuration', `${__TK_CONFIG__.issuer}/`))
    const { userinfo_endpoint } = (await discovery.json()) as { userinfo_endpoint: string }
    const response = await apiFetch(userinfo_endpoint)
    const body = (await response.json()) as { sub?: string; error?: string }
    $('api-result').textContent = response.ok ? `sub=${body.sub}` : `HTTP ${response.status} ${body.error ?? ''}`
  } catch (e) {
    $('api-result').textContent = (e as { code?: string }).code ?? String(e)
  }
})

auth.subscribe(() => render(auth.getSnapshot()))
render(auth.getSnapshot())
void auth.start().then(() => {
  if (params.get('popupOnLoad') === '1' && auth.getSnapshot().status !== 'authenticated') startPopupLogin()
})
