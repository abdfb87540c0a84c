import { build } from 'esbuild';
import { RUNTIME_PROVIDED_MODULES } from '../cdk/lib/bundling-externals.ts';

const r = await build({
  entryPoints: ['lambdas/recommend/index.ts'],
  outfile: '/tmp/rb/index.mjs',
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  metafile: true,
  mainFields: ['module', 'main'],
  external: RUNTIME_PROVIDED_MODULES,
  logLevel: 'error',
  write: false,
});
const importers = new Map<string, string[]>();
for (const [p, v] of Object.entries(r.metafile.inputs))
  for (const i of v.imports) {
    if (!importers.has(i.path)) importers.set(i.path, []);
    importers.get(i.path)!.push(p);
  }
for (const target of process.argv.slice(2)) {
  // BFS back to entry
  const prev = new Map<string, string>();
  const q = [target];
  const seen = new Set([target]);
  while (q.length) {
    const x = q.shift()!;
    for (const y of importers.get(x) ?? [])
      if (!seen.has(y)) {
        seen.add(y);
        prev.set(y, x);
        q.push(y);
      }
  }
  let cur = 'lambdas/recommend/index.ts';
  const chain = [cur];
  while (cur !== target && prev.has(cur)) {
    cur = prev.get(cur)!;
    chain.push(cur);
  }
  console.log(chain.join('\n  -> '));
}
