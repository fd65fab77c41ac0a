import { createAuthPlugin } from '@tokenkeep/vue'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createMemoryHistory } from 'vue-router'
import { App, createAppRouter } from './App'
import { createAppAuth } from './auth'

/** Renders the page at `url` on the server (memory history), as an SSR framework would. */
export async function render(url: string, origin: string): Promise<string> {
  const auth = createAppAuth(origin)
  const router = createAppRouter(createMemoryHistory(), auth)
  const app = createSSRApp(App).use(createAuthPlugin(auth)).use(router)
  await router.push(url)
  await router.isReady()
  return renderToString(app)
}
