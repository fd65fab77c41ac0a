// The demo app built against a provider of a test file's own (a second provider with other
// settings, a tampering proxy's address) and served by Vite's preview server on a loopback port.
// The suite-wide build (globalSetup.ts) points at the shared provider; these do not touch it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'

const demoConfig = fileURLToPath(new URL('../../demo/vite.config.ts', import.meta.url))

export interface DemoApp {
  /** Where the app is served, `http://<host>:<port>`. */
  readonly url: string
  /** Stops the preview server and deletes the build. */
  close(): Promise<void>
}

/**
 * Builds demo/ with `issuer` baked in (TK_ISSUER, restored afterwards) into a temporary folder
 * and serves it on `appUrl`, whose port must be free (the provider registered that origin).
 */
export async function serveDemo(issuer: string, appUrl: string): Promise<DemoApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'tk-e2e-app-'))
  const previous = process.env.TK_ISSUER
  process.env.TK_ISSUER = issuer
  try {
    await build({ configFile: demoConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } })
    const { hostname, port } = new URL(appUrl)
    const server = await preview({ configFile: demoConfig, logLevel: 'warn', build: { outDir }, preview: { host: hostname, port: Number(port), strictPort: true } })
    return {
      url: appUrl,
      async close() {
        await server.close()
        rmSync(outDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true })
    throw error
  } finally {
    if (previous === undefined) delete process.env.TK_ISSUER
    else process.env.TK_ISSUER = previous
  }
}
