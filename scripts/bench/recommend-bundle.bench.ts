/**
 * `npm run bench -- recommend-bundle [-- --external-sdk]`: builds the recommend Lambda the way it ships
 * (esbuild, minified, platform node, target node22, ESM, `module` before `main`), then imports the bundle in
 * fresh Node processes to time its cold initialisation.
 * Shipping config (`SHIPPING_EXTERNALS`, the list the CDK stack uses): everything bundled except what the
 * SDK v3 of the Lambda runtime provides and the function rarely or never needs: the S3 client (imported lazily,
 * when the local model is first fetched), the credential providers other than the environment's and the
 * nested STS/SSO clients they use. `--external-sdk` leaves all of `@aws-sdk/*` to the runtime instead: a
 * smaller file, but a slower cold start (the runtime's SDK is hundreds of small CommonJS files).
 * Targets: bundle ≤ 500 KB, cold init (median of 7 fresh processes) ≤ 200 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { RUNTIME_PROVIDED_MODULES } from '../../cdk/lib/bundling-externals.ts';

const TARGET_BYTES = 500 * 1024;
const TARGET_INIT_MS = 200;
const RUNS = 7;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const externalSdk = process.argv.includes('--external-sdk');
const external = externalSdk ? ['@aws-sdk/*'] : RUNTIME_PROVIDED_MODULES;
// Inside the project, so external modules resolve from its node_modules as it would from the runtime's.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const out = mkdtempSync(join(root, 'node_modules', '.cache', 'recommend-bundle-'));
const outfile = join(out, 'index.mjs');

try {
  const result = await build({
    entryPoints: [join(root, 'lambdas/recommend/index.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    metafile: true,
    mainFields: ['module', 'main'],
    external,
    // CommonJS dependencies call require(); an ESM bundle needs one (NodejsFunction adds the same banner).
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const bytes = statSync(outfile).size;
  const inputs = Object.entries(
    result.metafile.outputs[Object.keys(result.metafile.outputs)[0] ?? '']?.inputs ?? {},
  );
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of inputs) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(project)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);

  // A fresh process per run: time from just before the import to just after it (Node's own start excluded).
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_METRICS_NAMESPACE: 'Bench',
    PERSONALIZE_CAMPAIGN_USER_PERSONALIZATION_ARN: 'arn:aws:personalize:us-east-1:000000000000:campaign/up',
    PERSONALIZE_CAMPAIGN_SIMILAR_ITEMS_ARN: 'arn:aws:personalize:us-east-1:000000000000:campaign/sims',
    PERSONALIZE_CAMPAIGN_PERSONALIZED_RANKING_ARN:
      'arn:aws:personalize:us-east-1:000000000000:campaign/ranking',
    MODEL_ARTIFACT_URI: 's3://bench-bucket/model.bin',
    ONLINE_STORE_TABLE_NAME: 'bench-recent-events',
  };
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(outfile).href)});console.log(performance.now()-t);`;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`importing the bundle failed:\n${child.stderr}`);
    times.push(Number(child.stdout.trim().split('\n').at(-1)));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)] ?? Number.NaN;

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`bundle (external: ${external.join(', ')}): ${kb(bytes)} (target ≤ ${kb(TARGET_BYTES)})`);
  console.log(`largest parts: ${largest.map(([name, size]) => `${name} ${kb(size)}`).join(', ')}`);
  console.log(
    `cold init: median ${median.toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms over ${RUNS} fresh processes (target ≤ ${TARGET_INIT_MS} ms)`,
  );
  const ok = bytes <= TARGET_BYTES && median <= TARGET_INIT_MS;
  console.log(ok ? 'PASS' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
