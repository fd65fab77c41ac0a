// What a user installs, used the way a user does: the three packages packed with `pnpm pack`,
// installed from the tarballs with npm into apps outside the workspace (os.tmpdir()) next to
// pinned framework versions from the registry, type-checked strictly (skipLibCheck: false),
// built, rendered on the server in Node, and driven in Chromium against the dev provider.
// The app sources live in consumers/; consumers/lib/scratch.mjs packs and installs.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { copyApp, installScratch, packPackages, PACKAGES, pinned, removeScratch, ROOT, scratchDir } from '../consumers/lib/scratch.mjs'
// @ts-expect-error plain ESM module without types
import { freePort, startProvider } from '../demo/op/provider.mjs'
import { confirmProviderLogout, launchBrowser, loginAtProvider, newContext, testId } from './support/browser'

type Tarballs = Record<'core' | 'react' | 'vue', string>
interface Run {
  code: number
  out: string
}

const host = '127.0.0.1'
const dir: string = scratchDir('consumers')
const apps = { react: 'react-app', vue: 'vue-app', node16: 'node16', next: 'next-app', jest: 'jest-app' } as const
const bin = (name: string) => join(dir, 'node_modules', '.bin', name)

let tarballs: Tarballs
let op: { issuer: string; close(): Promise<void> }
const appUrls: Record<'react' | 'vue' | 'next', string> = { react: '', vue: '', next: '' }

/** Runs a command to its end; never throws, so a failing check shows its output. */
function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, out: `${stdout}${stderr}` })
    })
  })
}

beforeAll(async () => {
  appUrls.react = `http://${host}:${await freePort(host)}`
  appUrls.vue = `http://${host}:${await freePort(host)}`
  appUrls.next = `http://${host}:${await freePort(host)}`
  op = await startProvider({ host, clientOrigins: Object.values(appUrls), quiet: true })
  tarballs = packPackages(join(dir, 'packs'))
  for (const app of Object.values(apps)) copyApp(app, dir)
  installScratch(
    dir,
    tarballs,
    pinned(
      'typescript', 'vite', 'react', 'react-dom', '@types/react', '@types/react-dom', 'react-router', 'vue', 'vue-router', '@types/node', 'next',
      'jest', 'jest-environment-jsdom', 'babel-jest', '@babel/core', '@babel/preset-env', '@babel/preset-react', '@babel/preset-typescript',
      '@testing-library/react', '@testing-library/dom', '@testing-library/vue',
    ),
  )
}, 420_000)

afterAll(async () => {
  await op?.close()
  removeScratch(dir)
})

describe('the packed tarballs', () => {
  it('each carries LICENSE, README, package.json and its JavaScript and types', async () => {
    for (const name of PACKAGES as (keyof Tarballs)[]) {
      const files = (await sh('tar', ['tzf', tarballs[name]], dir)).out.split('\n').filter(Boolean)
      expect(files, name).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']))
      // Only what the files whitelist names: no sources, tests or tsconfig.
      expect(files.filter((f) => !/^package\/(LICENSE|README\.md|package\.json|dist\/.*)$/.test(f)), name).toEqual([])
    }
  })

  for (const name of ['core', 'react', 'vue'] as const) {
    it(`@tokenkeep/${name}: publint --strict finds nothing`, async () => {
      const run = await sh(join(ROOT, 'node_modules', '.bin', 'publint'), ['--strict', tarballs[name]], ROOT)
      expect(run.out).toContain('All good!')
      expect(run.code, run.out).toBe(0)
    })

    it(`@tokenkeep/${name}: @arethetypeswrong/cli (esm-only) finds nothing`, async () => {
      const run = await sh(join(ROOT, 'node_modules', '.bin', 'attw'), ['--profile', 'esm-only', '--format', 'json', tarballs[name]], ROOT)
      expect(run.code, run.out).toBe(0)
      const { analysis } = JSON.parse(run.out) as { analysis: { problems: { kind: string; resolutionKind?: string }[]; entrypoints: Record<string, unknown> } }
      // The esm-only profile ignores CommonJS and node10 resolution; nothing else may show up.
      const inProfile = analysis.problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs')
      expect(inProfile).toEqual([])
      expect(Object.keys(analysis.entrypoints).length).toBeGreaterThan(0)
    })
  }

  it('the adapters depend on @tokenkeep/core by version range, not workspace:', async () => {
    for (const name of ['react', 'vue'] as const) {
      const pkg = JSON.parse((await sh('tar', ['xzOf', tarballs[name], 'package/package.json'], dir)).out) as { dependencies: Record<string, string> }
      expect(pkg.dependencies['@tokenkeep/core']).toMatch(/^\^\d+\.\d+\.\d+$/)
    }
  })

  it('npm installs one @tokenkeep/core, the tarball, for the app and both adapters', async () => {
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> }
    const copies = Object.keys(lock.packages).filter((path) => path.endsWith('node_modules/@tokenkeep/core'))
    expect(copies).toEqual(['node_modules/@tokenkeep/core'])
    expect(lock.packages['node_modules/@tokenkeep/core']!.resolved).toMatch(/^file:.*tokenkeep-core-\d+\.\d+\.\d+\.tgz$/)
  })
})

describe('a TypeScript project with module/moduleResolution node16', () => {
  const cwd = () => join(dir, apps.node16)

  it('type-checks with skipLibCheck: false and the real types of every entry', async () => {
    // src/index.ts holds @ts-expect-error lines that only compile while the types are real.
    const run = await sh(bin('tsc'), ['-p', '.'], cwd())
    expect(run.out).toBe('')
    expect(run.code).toBe(0)
  })

  it('runs in plain Node: start() settles, no browser session, login() and getAccessToken() reject typed', async () => {
    const run = await sh(process.execPath, ['dist/index.js'], cwd())
    expect(run.code, run.out).toBe(0)
    expect(JSON.parse(run.out)).toEqual({
      started: 'settled',
      status: 'unauthenticated',
      errorCode: 'ERR_NO_BROWSER',
      noBrowser: true,
      seen: ['unauthenticated'],
      login: 'ERR_NO_BROWSER',
      getAccessToken: 'ERR_NO_BROWSER',
      stopped: true,
      adapters: ['function', 'function', 'function'],
      testDoubles: [true, true],
    })
  })
})

describe('an app’s own tests in Jest with jsdom, through @tokenkeep/react/testing and @tokenkeep/vue/testing', () => {
  const cwd = () => join(dir, apps.jest)
  const jest = () => join(dir, 'node_modules', 'jest', 'bin', 'jest.js')

  // docs/testing.md: no network, no shims (jsdom has no TextEncoder), no hand-written mocks.
  it('Jest running ES modules natively: a React and a Vue component through loading, signed in, session ended, signed out', async () => {
    const run = await sh(process.execPath, ['--experimental-vm-modules', jest(), '--ci'], cwd())
    expect(run.code, run.out).toBe(0)
    expect(run.out).toMatch(/Tests:\s+2 passed, 2 total/)
  })

  it('Jest in CommonJS mode (Create React App and most existing set-ups) with babel-jest over @tokenkeep/*', async () => {
    const run = await sh(process.execPath, [jest(), '--ci', '-c', 'jest.commonjs.config.cjs'], cwd())
    expect(run.code, run.out).toBe(0)
    expect(run.out).toMatch(/Tests:\s+2 passed, 2 total/)
  })
})

for (const framework of ['react', 'vue'] as const) {
  const title = framework === 'react' ? 'a Vite React-TS app with react-router (BrowserRouter)' : 'a Vite Vue app with vue-router (createWebHistory)'
  describe(title, () => {
    const cwd = () => join(dir, apps[framework])
    const env = () => ({ VITE_TK_ISSUER: op.issuer })
    let server: PreviewServer | undefined
    let browser: Browser | undefined

    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    it('type-checks with skipLibCheck: false', async () => {
      const run = await sh(bin('tsc'), ['-p', '.'], cwd())
      expect(run.out).toBe('')
      expect(run.code).toBe(0)
    })

    it('builds for the browser and for the server', async () => {
      const client = await sh(bin('vite'), ['build'], cwd(), env())
      expect(client.code, client.out).toBe(0)
      const entry = framework === 'react' ? 'src/entry-server.tsx' : 'src/entry-server.ts'
      const server = await sh(bin('vite'), ['build', '--ssr', entry, '--outDir', 'dist-server'], cwd(), env())
      expect(server.code, server.out).toBe(0)
    })

    it('renders a protected deep link on the server in Node without touching browser globals', async () => {
      // A separate Node process, as a server would be: the built server entry imports the
      // installed packages from node_modules, and a global `window` access would throw there.
      const script = `const { render } = await import(${JSON.stringify(pathToFileURL(join(cwd(), 'dist-server', 'entry-server.js')).href)});
        if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('a DOM in Node?');
        process.stdout.write(await render('/orders?tab=open#latest', ${JSON.stringify(appUrls[framework])}))`
      const run = await sh(process.execPath, ['--input-type=module', '-e', script], cwd())
      expect(run.code, run.out).toBe(0)
      // The loading state: nobody is signed in on the server, and nothing redirected.
      expect(run.out).toContain('<p data-testid="wait">Loading…</p>')
      expect(run.out).toContain('href="/orders?tab=open#latest"')
      expect(run.out).not.toContain('Orders of')
    })

    it('signs in by redirect from a protected deep link, and signs out, in Chromium', async () => {
      const appUrl = appUrls[framework]
      server = await preview({
        root: cwd(),
        configFile: false,
        logLevel: 'warn',
        build: { outDir: 'dist' },
        preview: { host, port: Number(new URL(appUrl).port), strictPort: true },
      })
      browser = await launchBrowser()
      const page: Page = await (await newContext(browser)).newPage()
      await page.goto(`${appUrl}/orders?tab=open#latest`)
      await page.waitForURL((url) => url.href.startsWith(op.issuer))
      await loginAtProvider(page, { appUrl })
      await expect.poll(() => testId(page, 'orders').textContent()).toBe('Orders of Alice')
      // Back on the page the login began on, query and hash kept, the code gone from the address.
      expect(await testId(page, 'where').textContent()).toBe('/orders?tab=open#latest')
      const address = new URL(page.url())
      expect(address.pathname + address.search + address.hash).toBe('/orders?tab=open#latest')

      await page.getByRole('button', { name: 'Log out' }).click()
      await confirmProviderLogout(page, op.issuer, appUrl)
      await expect.poll(() => testId(page, 'status').textContent()).toBe('Signed out')
      expect(new URL(page.url()).pathname).toBe('/')
    })
  })
}

describe('a Next.js App Router app', () => {
  const cwd = () => join(dir, apps.next)
  let server: ChildProcess | undefined
  let browser: Browser | undefined

  afterAll(async () => {
    await browser?.close()
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
  })

  it('type-checks, builds and prerenders the provider on the server', async () => {
    // `next build` type-checks too. skipLibCheck is Next's default (true) here because Next
    // 16.4's own declarations need PromiseWithResolvers and URLPattern, which TypeScript 5.9's
    // libs lack; tokenkeep's declarations are checked with skipLibCheck false in the other apps.
    const run = await sh(bin('next'), ['build'], cwd(), {
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_PUBLIC_TK_ISSUER: op.issuer,
      NEXT_PUBLIC_APP_ORIGIN: appUrls.next,
    })
    expect(run.code, run.out).toBe(0)
    expect(run.out).toMatch(/Running TypeScript/)
    // Prerendered in Node at build time: the protected page in its loading state.
    const html = await readFile(join(cwd(), '.next', 'server', 'app', 'orders.html'), 'utf8')
    expect(html).toContain('<p data-testid="wait">Loading…</p>')
    expect(html).not.toContain('Orders of')
  })

  it('signs in by redirect from a protected page, and signs out, in Chromium (next start)', { timeout: 90_000 }, async () => {
    const appUrl = appUrls.next
    server = spawn(bin('next'), ['start', '--hostname', host, '--port', new URL(appUrl).port], {
      cwd: cwd(),
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    })
    await expect.poll(() => fetch(appUrl).then((r) => r.ok, () => false), { timeout: 30_000 }).toBe(true)
    browser = await launchBrowser()
    const page: Page = await (await newContext(browser)).newPage()
    await page.goto(`${appUrl}/orders?tab=open#latest`)
    await page.waitForURL((url) => url.href.startsWith(op.issuer))
    await loginAtProvider(page, { appUrl })
    await expect.poll(() => testId(page, 'orders').textContent()).toBe('Orders of Alice')
    const address = new URL(page.url())
    expect(address.pathname + address.search + address.hash).toBe('/orders?tab=open#latest')

    await page.goto(appUrl)
    await page.getByRole('button', { name: 'Log out Alice' }).click()
    await confirmProviderLogout(page, op.issuer, appUrl)
    await expect.poll(() => page.getByRole('button', { name: 'Log in' }).count()).toBe(1)
  })
})
