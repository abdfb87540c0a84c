import type { Server } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { seededRandom } from '../../src/core/seeded-random.ts';
import { EventLogWriter } from '../../src/event-log/writer.ts';
import { createLocalEventPipeline } from '../../src/event-pipeline/local-pipeline.ts';
import { livePopularity } from '../../src/features/live-popularity.ts';
import { MemoryFeatureStore } from '../../src/features/memory-feature-store.ts';
import type { LocalRecommender } from '../../src/local/index.ts';
import {
  controlPlaneTargets,
  dispatchControlPlane,
  type LocalPersonalize,
} from '../../src/local-personalize/index.ts';
import { createLocalServer } from '../../src/local-server/local-server.ts';
import { OPEN_API } from '../../src/local-server/openapi.ts';
import type { WireConfig } from '../../src/personalize-wire/config.ts';
import { FileDeadLetterQueue } from '../../src/serving/file-dead-letter.ts';
import { MemoryOnlineStore } from '../../src/serving/memory-online-store.ts';
import { createEventsHandler } from '../events/handler.ts';
import { createRecommendHandler } from '../recommend/handler.ts';

export interface LocalApiOptions {
  readonly engine: LocalRecommender;
  /** Where events that could not be stored are written (JSON lines). */
  readonly deadLetterFile: string;
  readonly wireConfig?: WireConfig;
  /**
   * Local Personalize control plane served on `POST /` (X-Amz-Target); the Personalize-compatible endpoint then
   * serves its campaigns and trackers only (adopt the engine with `adoptDemoEngine` to keep the demo names).
   */
  readonly personalize?: LocalPersonalize;
  /**
   * Folder of the event log (the cloud's layout: `events/dt=YYYY-MM-DD/…` JSON Lines), for retraining.
   * @default - no event log
   */
  readonly eventLogDir?: string;
  /** Powertools log level of the handlers. @default 'WARN' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** One line per request (id, method, path, status, duration). @default - none */
  readonly accessLog?: (line: string) => void;
}

export interface LocalApi extends Server {
  /**
   * Stops accepting connections, then delivers the events the pipeline still holds and closes the event
   * log, so nothing accepted by `POST /events` is lost on Ctrl-C.
   */
  shutdown(): Promise<void>;
}

/**
 * The whole API on the local engine: the same recommend and events handlers as the Lambdas, with the local
 * model as the only engine, an in-memory online store and a file dead-letter queue; plus the
 * Personalize-compatible endpoint on the same port. `POST /events` goes through the in-process pipeline
 * (stream → feature store, event log, engine), so the FeatureRead routes and `GET /popular` see it at once.
 */
export function createLocalApi(options: LocalApiOptions): LocalApi {
  const logLevel = options.logLevel ?? 'WARN';
  const telemetry = (serviceName: string) => ({
    logger: new Logger({ serviceName, logLevel }),
    // Set POWERTOOLS_METRICS_DISABLED=true to keep EMF lines (meant for CloudWatch) off the console.
    metrics: new Metrics({ serviceName, namespace: 'PersonalizeToolkit' }),
  });
  const engine = options.engine;
  const personalize = options.personalize;
  const featureStore = new MemoryFeatureStore({ categoryOf: (itemId) => engine.categoryOf(itemId) });
  const eventLog =
    options.eventLogDir === undefined ? undefined : new EventLogWriter({ dir: options.eventLogDir });
  const pipeline = createLocalEventPipeline({
    featureStore,
    recommender: engine,
    ...(eventLog && { eventLog }),
  });
  engine.setLivePopularity({ source: livePopularity(featureStore) });
  const server = createLocalServer({
    handlers: {
      recommend: createRecommendHandler({
        recommender: engine,
        popular: engine,
        features: featureStore,
        ...telemetry('recommend'),
      }),
      events: createEventsHandler({
        // Resolves once every consumer has the events, so a read right after the POST sees them.
        recommender: pipeline,
        deadLetters: new FileDeadLetterQueue(options.deadLetterFile),
        onlineStore: new MemoryOnlineStore(),
        random: seededRandom(),
        ...telemetry('events'),
      }),
    },
    wireRecommender: engine,
    ...(options.wireConfig && { wireConfig: options.wireConfig }),
    ...(personalize && {
      controlPlane: (target, body) => dispatchControlPlane(personalize, target, body),
      wireTargets: [controlPlaneTargets(personalize)],
    }),
    openApi: OPEN_API,
    ...(options.accessLog && { accessLog: options.accessLog }),
  });
  const shutdown = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pipeline.pipeline.stop();
    await eventLog?.close();
    engine.setLivePopularity(undefined);
  };
  return Object.assign(server, { shutdown });
}
