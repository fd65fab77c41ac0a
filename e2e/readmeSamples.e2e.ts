// The README's two complete apps run as written: each sample file (docs/samples/readme/main.tsx and
// main.ts, shown whole in the README) becomes the src/main of a Vite app with only the issuer and
// client id swapped for the dev provider's, is built and served, and a person signs in, opens
// the protected page and signs out in Chromium.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build, preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { freePort, startProvider } from '../demo/op/provider.mjs'
import { confirmProviderLogout, launchBrowser, loginAtProvider, newPage } from './support/browser'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const host = '127.0.0.1'
// Under docs/ so the app resolves react, react-router, vue and vue-router from docs/node_modules.
const scratch = here('../docs/.readme-apps')

let op: { issuer: string; clientId: string; close(): Promise<void> }
let browser: Browser
const servers: PreviewServer[] = []
const urls = { react: '', vue: '' }

/** The sample as the README shows it, with the provider it points at replaced. */
function asWritten(sample: string): string {
  const source = readFileSync(here(`../docs/samples/readme/${sample}`), 'utf8')
  expect(source).toContain("issuer: 'https://sso.example.com/realms/shop'")
  expect(source).toContain("clientId: 'shop-spa'")
  return source
    .replace("issuer: 'https://sso.example.com/realms/shop'", `issuer: ${JSON.stringify(op.issuer)}`)
    .replace("clientId: 'shop-spa'", `clientId: ${JSON.stringify(op.clientId)}`)
}

async function serve(name: 'react' | 'vue', sample: string, mountId: string): Promise<void> {
  const root = join(scratch, name)
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(join(root, 'index.html'), `<!doctype html><html><body><div id="${mountId}"></div><script type="module" src="/src/${sample}"></script></body></html>`)
  writeFileSync(join(root, 'src', sample), asWritten(sample))
  const config = {
    root,
    configFile: false as const,
    logLevel: 'warn' as const,
    appType: 'spa' as const,
    oxc: { jsx: { runtime: 'automatic' as const } },
    resolve: {
      alias: [
        { find: /^@tokenkeep\/core$/, replacement: here('../packages/core/src/index.ts') },
        { find: /^@tokenkeep\/react$/, replacement: here('../packages/react/src/index.ts') },
        { find: /^@tokenkeep\/vue$/, replacement: here('../packages/vue/src/index.ts') },
        { find: /^@tokenkeep\/vue\/router$/, replacement: here('../packages/vue/src/router.ts') },
      ],
      dedupe: ['react', 'react-dom', 'vue', 'vue-router'],
    },
    build: { outDir: join(root, 'dist'), emptyOutDir: true, target: 'es2022' },
  }
  await build(config)
  const { port } = new URL(urls[name])
  servers.push(await preview({ ...config, preview: { host, port: Number(port), strictPort: true } }))
}

beforeAll(async () => {
  urls.react = `http://${host}:${await freePort(host)}`
  urls.vue = `http://${host}:${await freePort(host)}`
  op = await startProvider({ host, clientOrigins: Object.values(urls), quiet: true })
  await serve('react', 'main.tsx', 'root')
  await serve('vue', 'main.ts', 'app')
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  for (const server of servers) await server.close()
  await op?.close()
  rmSync(scratch, { recursive: true, force: true })
})

async function signInOrdersSignOut(page: Page, appUrl: string): Promise<void> {
  await page.goto(appUrl)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((url) => url.href.startsWith(op.issuer))
  await loginAtProvider(page, { appUrl })
  // Back from /callback on the page the login began on, signed in under the provider's name.
  await expect.poll(() => new URL(page.url()).pathname).toBe('/')
  await expect.poll(() => page.locator('p', { hasText: 'Alice' }).count()).toBe(1)
  await page.getByRole('link', { name: 'Orders' }).click()
  // The protected page asked for a token and made its call (the preview server answers with HTML).
  await expect.poll(() => page.locator('pre').textContent()).toContain('<!doctype html>')
  await page.getByRole('button', { name: 'Log out' }).click()
  await confirmProviderLogout(page, op.issuer, appUrl)
  await expect.poll(() => page.getByRole('button', { name: 'Log in' }).count()).toBe(1)
}

describe('the README samples, run as written', () => {
  it('React (docs/samples/readme/main.tsx): sign in, open the protected page, sign out', async () => {
    await signInOrdersSignOut(await newPage(browser), urls.react)
  })

  it('Vue (docs/samples/readme/main.ts): sign in, open the protected page, sign out', async () => {
    await signInOrdersSignOut(await newPage(browser), urls.vue)
  })

  it('a visitor who opens the protected page signed out is sent to sign in, and lands on it', async () => {
    for (const appUrl of [urls.react, urls.vue]) {
      const page = await newPage(browser)
      await page.goto(`${appUrl}/orders`)
      await page.waitForURL((url) => url.href.startsWith(op.issuer))
      await loginAtProvider(page, { appUrl })
      await expect.poll(() => new URL(page.url()).pathname).toBe('/orders')
      await expect.poll(() => page.locator('pre').textContent()).toContain('<!doctype html>')
    }
  })
})
