// Starts what the end-to-end tests run against: the dev OpenID Provider, a production build of
// the demo app, and production builds of the example apps (examples/react-router,
// examples/vue-router), each on a free loopback port. Tests read the URLs with `inject()`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview, type PreviewServer } from 'vite'
import type { TestProject } from 'vitest/node'
import { planExamples, type ExampleApps } from './examples'
// @ts-expect-error plain ESM module without types
import { freePort, startProvider } from '../../demo/op/provider.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    issuer: string
    appUrl: string
    /** The demo served with Cross-Origin-Opener-Policy: same-origin (popup tests). */
    coopAppUrl: string
    /** The example apps, each on its own origin, served under `examples.base`. */
    examples: ExampleApps
  }
}

const demoConfig = fileURLToPath(new URL('../../demo/vite.config.ts', import.meta.url))

export default async function setup(project: TestProject) {
  const host = '127.0.0.1'
  // Every server gets its own port: a port freePort() handed out is free again until its server
  // listens, so a later call could hand it out twice.
  const taken = new Set<number>()
  const port = async (): Promise<number> => {
    for (;;) {
      const p: number = await freePort(host)
      if (!taken.has(p)) return taken.add(p), p
    }
  }
  const appPort = await port()
  const coopPort = await port()
  const appUrl = `http://${host}:${appPort}`
  const coopAppUrl = `http://${host}:${coopPort}`
  const examples = await planExamples(host, port)
  const op = await startProvider({
    host,
    port: await port(),
    clientOrigins: [appUrl, coopAppUrl],
    extraRedirectUris: examples.redirectUris,
    accessTokenTtl: Number(process.env.TK_E2E_ACCESS_TOKEN_TTL ?? 3600),
    quiet: true,
  })

  const outDir = mkdtempSync(join(tmpdir(), 'tk-e2e-demo-'))
  process.env.TK_ISSUER = op.issuer
  await build({ configFile: demoConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } })

  const servers: PreviewServer[] = []
  for (const [port, headers] of [
    [appPort, {}],
    [coopPort, { 'Cross-Origin-Opener-Policy': 'same-origin' }],
  ] as const) {
    servers.push(
      await preview({
        configFile: demoConfig,
        logLevel: 'warn',
        build: { outDir },
        preview: { host, port, strictPort: true, headers },
      }),
    )
  }

  project.provide('issuer', op.issuer)
  project.provide('appUrl', appUrl)
  project.provide('coopAppUrl', coopAppUrl)
  // Built before the provider started (their URIs are registered with it), served now.
  const exampleServers = await examples.serve(op.issuer)
  project.provide('examples', examples.urls)

  return async () => {
    await exampleServers.close()
    for (const s of servers) await s.close()
    await op.close()
    rmSync(outDir, { recursive: true, force: true })
  }
}
