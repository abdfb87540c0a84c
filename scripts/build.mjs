// `npm run build` (run by `prepare`, so `npm ci` builds too): the command-line entry points bundled into
// dist/ as ESM for plain `node`, so a command starts without compiling TypeScript (tsx costs ~1 s a run).
// Packages stay external (resolved from node_modules at run time). Worker entry points are bundled beside
// them: code in a bundle or chunk resolves `./<name>-worker.js` against the bundle's own URL, i.e. dist/.
// The explorer's static files are copied to dist/explorer, which the bundled server reads.
import { cp, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const entryPoints = {
  cli: 'scripts/cli.ts',
  start: 'scripts/start.ts',
  evaluate: 'scripts/evaluate.ts',
  'validate-data': 'scripts/validate-data.ts',
  'generate-data': 'scripts/generate-data.ts',
  'replay-dlq': 'scripts/replay-dlq.ts',
  'als-worker': 'src/local/algorithms/linalg/als-worker.ts',
  'tuning-worker': 'src/local/model/tuning-worker.ts',
  'export-worker': 'src/batch/export/export-worker.ts',
  'train-worker': 'src/local-personalize/train-worker.ts',
  'local-batch-worker': 'src/batch/local/local-batch-worker.ts',
};

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  // Commands load their implementations on demand (scripts/cli/commands.ts): split chunks keep that lazy.
  // Chunks sit in dist/ itself, beside the workers and explorer/ their code finds through import.meta.url.
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
await cp('src/local-server/explorer', 'dist/explorer', { recursive: true });
