import type { AuthClient } from '@tokenkeep/core'
import type { InjectionKey, Plugin } from 'vue'
import { startClient } from './startClient'

/** The injection key under which {@link createAuthPlugin} provides the client. */
export const authClientKey: InjectionKey<AuthClient> = Symbol('tokenkeep auth client')

/**
 * A Vue plugin that provides `client` to `useAuth()` and starts it (finishing a redirect login
 * or restoring the stored session). It stops the client when the app unmounts (Vue 3.5+). On
 * the server it only provides the client: there is no session to restore there.
 *
 * Let the plugin (or the router guard) start the client rather than calling `start()` yourself
 * first: the guard needs the page address from before `start()` rewrote it.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({ issuer, clientId, redirectUri: `${location.origin}/callback` })
 * createApp(App).use(createAuthPlugin(auth)).mount('#app')
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1 (the flow `start()` completes)
 */
export function createAuthPlugin(client: AuthClient): Plugin {
  return {
    install(app) {
      app.provide(authClientKey, client)
      if (typeof window === 'undefined') return
      void startClient(client)
      // app.onUnmount exists from Vue 3.5; on 3.3/3.4 the client lives as long as the page.
      if (typeof app.onUnmount === 'function') app.onUnmount(() => client.stop())
    },
  }
}
