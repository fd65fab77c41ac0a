// TypeScript and JSX for Jest. preset-env's `modules: 'auto'` keeps `import` when Jest runs ES
// modules natively (jest.config.js) and turns it into `require` for the CommonJS run
// (jest.commonjs.config.cjs), where @tokenkeep/* (ESM only) goes through it too.
module.exports = {
  presets: [
    ['@babel/preset-env', { targets: { node: 'current' } }],
    ['@babel/preset-react', { runtime: 'automatic' }],
    '@babel/preset-typescript',
  ],
}
