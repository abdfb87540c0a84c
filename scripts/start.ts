/**
 * `npm start`: the whole HTTP API on the local hybrid engine, no AWS account needed. Trains on generated demo
 * data (or `--data <dir>` of Personalize CSVs, or loads `--model <artifact>`), then serves the recommend and
 * events handlers plus the Personalize-compatible endpoint on PORT (default 3000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { createLocalApi } from '../lambdas/local/api.ts';
import { cliProgram, DEBUG_FLAG, EXIT_CODES, runCli } from '../src/cli/exit-codes.ts';
import { assertPortFree, listen } from '../src/cli/listen.ts';
import { createProgress } from '../src/cli/progress.ts';
import { generateDataset } from '../src/datagen/index.ts';
import { InvalidInputError } from '../src/errors.ts';
import { LocalRecommender, trainLocalRecommender } from '../src/local/index.ts';
import { adoptDemoEngine, openLocalPersonalize } from '../src/local-personalize/index.ts';
import { DEFAULT_WIRE_CONFIG, wireArns } from '../src/personalize-wire/config.ts';
import { datasetFilesIn } from './cli/dataset-folder.ts';

// EMF metric lines are for CloudWatch; a local console is better off without them unless asked for.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const DEMO_FILTERS = [
  { name: 'exclude-purchased', expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")' },
  { name: 'by-category', expression: 'INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)' },
];

const positiveInt = (name: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidArgumentError(`${name} must be an integer 1..${max}`);
  return n;
};

interface StartOptions {
  port: number;
  host: string;
  data?: string;
  model?: string;
  interactions: number;
  seed: number;
  tune: boolean;
  deadLetters: string;
  eventLog: string;
  quiet: boolean;
  accessLog: boolean;
  state: string;
  s3Dir: string;
  s3Endpoint?: string;
  latency: number;
}

async function engineFor(
  options: StartOptions,
): Promise<{ engine: LocalRecommender; what: string; filters: typeof DEMO_FILTERS }> {
  const filters = options.data === undefined && options.model === undefined ? DEMO_FILTERS : [];
  if (options.model !== undefined) {
    return {
      engine: await LocalRecommender.load(resolve(options.model), { filters }),
      what: `model ${options.model}`,
      filters,
    };
  }
  const progress = createProgress({ quiet: options.quiet });
  if (options.data !== undefined) {
    return {
      engine: await trainOn(options.data, filters, options, progress),
      what: `data in ${options.data}`,
      filters,
    };
  }
  // The demo data only feeds training: the model keeps what it needs, so the files go once it is trained.
  const dir = await mkdtemp(join(tmpdir(), 'personalize-demo-'));
  try {
    console.log(`Generating demo data (${options.interactions} interactions, seed ${options.seed})`);
    await generateDataset({ outDir: dir, interactions: options.interactions, seed: options.seed });
    return {
      engine: await trainOn(dir, filters, options, progress),
      what: `generated demo data (${options.interactions} interactions, seed ${options.seed})`,
      filters,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function trainOn(
  dir: string,
  filters: typeof DEMO_FILTERS,
  options: StartOptions,
  progress: ReturnType<typeof createProgress>,
): Promise<LocalRecommender> {
  const files = datasetFilesIn('--data', dir);
  console.log(`Training the local hybrid model on ${dir}${options.tune ? ' (with tuning)' : ''}…`);
  const started = performance.now();
  const engine = await trainLocalRecommender(files, { filters, training: { tune: options.tune }, progress });
  console.log(`Trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return engine;
}

function printUsage(base: string, engine: LocalRecommender, filters: typeof DEMO_FILTERS): void {
  const model = engine.hybridModel;
  const user = model.users.ids[0] ?? 'some-user';
  const item = model.items.ids[0] ?? 'some-item';
  const arns = wireArns(DEFAULT_WIRE_CONFIG);
  // Only a filter that is loaded and needs no values makes a copy-paste example; none loaded, no example.
  const example = filters.find((f) => !f.expression.includes('$'));
  const filtered = example
    ? `\n  Filtered:    curl '${base}/recommendations?userId=${user}&filter=${example.name}'`
    : '';
  console.log(`
Personalize toolkit API (local engine) listening on ${base}
  Explorer:    open ${base}/ in a browser
  OpenAPI:     curl ${base}/openapi.json
  For a user:  curl '${base}/recommendations?userId=${user}&numResults=5'${filtered}
  Similar:     curl '${base}/items/${item}/similar?numResults=5'
  Popular:     curl '${base}/popular?numResults=5'
  Ranking:     curl -X POST ${base}/rankings -H 'content-type: application/json' -d '{"userId":"${user}","itemIds":${JSON.stringify(model.items.ids.slice(0, 3))}}'
  Features:    curl '${base}/users/${user}/features'   curl '${base}/items/${item}/features?features=popularity'
  Event:       curl -X POST ${base}/events -H 'content-type: application/json' -d '{"sessionId":"s1","userId":"${user}","events":[{"eventType":"click","itemId":"${item}","sentAt":${Math.floor(Date.now() / 1000)}}]}'
Personalize-compatible endpoint (AWS SDK / CLI with --endpoint-url ${base}):
  aws personalize-runtime get-recommendations --endpoint-url ${base} --campaign-arn ${arns.userPersonalizationCampaign} --user-id ${user}
  trackingId for put-events: ${DEFAULT_WIRE_CONFIG.trackingId}
Filters: ${engine.filterNames.join(', ') || '(none)'}
`);
}

/** `PORT` from the environment (default 3000), held to `--port`'s rule: a malformed one is exit 2, naming it. */
function portFromEnvironment(): number {
  const text = process.env.PORT;
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535)
    throw new InvalidInputError([
      { field: 'PORT', message: `must be an integer from 1 to 65535 (got "${text}"); or pass --port` },
    ]);
  return port;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = cliProgram()
    .name('npm start --')
    .description('Serve the recommendation API on the local hybrid engine')
    .option(
      '--port <n>',
      'port to listen on (env PORT)',
      positiveInt('--port', 65_535),
      portFromEnvironment(),
    )
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--data <dir>',
      'folder with interactions.csv and optional items.csv, users.csv (Personalize CSVs)',
    )
    .option('--model <file>', 'a model artifact saved by the local engine')
    .option(
      '--interactions <n>',
      'size of the generated demo dataset',
      positiveInt('--interactions', 10_000_000),
      50_000,
    )
    .option('--seed <n>', 'seed of the generated demo dataset', positiveInt('--seed', 2 ** 31), 42)
    .option('--no-tune', 'skip hyperparameter tuning (faster start)')
    .option(
      '--dead-letters <file>',
      'where events that could not be stored are written',
      '.local/dead-letters.jsonl',
    )
    .option(
      '--event-log <dir>',
      'where the event log of POST /events is written (events/dt=YYYY-MM-DD/, JSON Lines)',
      '.local/event-log',
    )
    .option('--quiet', 'no progress bars', false)
    .option('--no-access-log', 'no line per request (request id, method, path, status, duration)')
    .option(
      '--state <dir>',
      'where local Personalize keeps its resources, data and models',
      '.local/personalize',
    )
    .option('--s3-dir <dir>', 'folder that s3://bucket/key maps to (<dir>/bucket/key)', '.local/s3')
    .option('--s3-endpoint <url>', 'an S3 API (moto, LocalStack, MinIO) to use instead of --s3-dir')
    .option(
      '--latency <ms>',
      'how long each local Personalize status step takes',
      (value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 600_000)
          throw new InvalidArgumentError('--latency must be an integer 0..600000');
        return n;
      },
      0,
    )
    .option(...DEBUG_FLAG)
    .parse(argv, { from: 'user' });
  const options = program.opts<StartOptions>();
  if (options.data !== undefined && options.model !== undefined) {
    throw new InvalidInputError([{ field: '--data/--model', message: 'give either, not both' }]);
  }
  await assertPortFree(options.port, options.host);
  // The saved state is read before training, so a damaged state file fails at once, not after the fit.
  const personalize = await openLocalPersonalize({
    stateDir: resolve(options.state),
    s3Dir: resolve(options.s3Dir),
    ...(options.s3Endpoint !== undefined && { s3Endpoint: options.s3Endpoint }),
    latencyMs: options.latency,
  });
  const { engine, what, filters } = await engineFor(options).catch(async (error: unknown) => {
    await personalize.close();
    throw error;
  });
  // The demo campaigns become ordinary control-plane resources (List*, Describe*, UpdateCampaign…).
  await adoptDemoEngine(personalize, { engine, names: DEFAULT_WIRE_CONFIG, filters });
  const server = createLocalApi({
    engine,
    deadLetterFile: resolve(options.deadLetters),
    eventLogDir: resolve(options.eventLog),
    personalize,
    ...(options.accessLog && { accessLog: (line: string) => console.log(line) }),
  });
  const base = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.port}`;
  try {
    await listen(server, options.port, options.host);
  } catch (error) {
    await server.shutdown();
    await personalize.close();
    throw error;
  }
  printUsage(base, engine, filters);
  console.log(
    `Local Personalize control plane: aws personalize list-dataset-groups --endpoint-url ${base} (state in ${options.state}, S3 ${options.s3Endpoint ?? options.s3Dir})`,
  );
  console.log(`Event log: ${options.eventLog} (npm run cli -- events-to-interactions turns it into a CSV)`);
  console.log(`Serving ${what}. Ctrl-C stops.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // The pipeline delivers what it still holds and the event log is closed before the process ends.
    void server
      .shutdown()
      .then(() => personalize.close())
      .finally(() => process.exit(0));
    // Keep-alive connections would hold close() open for as long as a client idles.
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  // npm (or tsx) killed without passing the signal on leaves this process re-parented: stop rather than
  // keep answering as an orphan nobody can Ctrl-C.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

await runCli('start', async () => {
  await main(process.argv.slice(2));
  return EXIT_CODES.ok;
});
