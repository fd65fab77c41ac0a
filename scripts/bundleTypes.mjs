#!/usr/bin/env node
// Bundles a package's declarations into one .d.ts per entry (dist/<entry>.d.ts), run from the
// package directory after `tsc -p tsconfig.build.json` has emitted them into .types/.
//
// Why: tsc copies the source's extensionless relative imports (`from './client'`) into the .d.ts
// files it emits. Bundler resolution accepts them, but node16/nodenext resolution does not
// (TS2834), and with skipLibCheck the types then silently turn into `any`. One file per entry has
// no relative imports left, so it resolves the same under every moduleResolution, whatever the
// source's module layout; imports of other packages stay imports.
//
// usage: node ../../scripts/bundleTypes.mjs index [router ...]
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { rollup } from 'rollup'
import { dts } from 'rollup-plugin-dts'

const entries = process.argv.slice(2)
if (entries.length === 0) {
  console.error('usage: bundleTypes.mjs <entry> [<entry> ...]')
  process.exit(2)
}
const types = resolve('.types')
const bundle = await rollup({
  input: Object.fromEntries(entries.map((name) => [name, resolve(types, `${name}.d.ts`)])),
  // Everything that is not a relative or absolute path is another package: keep it an import.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  plugins: [dts()],
})
await bundle.write({ dir: resolve('dist'), format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts' })
await bundle.close()
rmSync(types, { recursive: true, force: true })
