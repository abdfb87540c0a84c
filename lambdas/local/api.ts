import type { Server } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { seededRandom } from '../../src/core/seeded-random.ts';
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
  /** Powertools log level of the handlers. @default 'WARN' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** One line per request (id, method, path, status, duration). @default - none */
  readonly accessLog?: (line: string) => void;
}

/**
 * The whole API on the local engine: the same recommend and events handlers as the Lambdas, with the local
 * model as the only engine, an in-memory online store and a file dead-letter queue; plus the
 * Personalize-compatible endpoint on the same port.
 */
export function createLocalApi(options: LocalApiOptions): Server {
  const logLevel = options.logLevel ?? 'WARN';
  const telemetry = (serviceName: string) => ({
    logger: new Logger({ serviceName, logLevel }),
    // Set POWERTOOLS_METRICS_DISABLED=true to keep EMF lines (meant for CloudWatch) off the console.
    metrics: new Metrics({ serviceName, namespace: 'PersonalizeToolkit' }),
  });
  const engine = options.engine;
  const personalize = options.personalize;
  return createLocalServer({
    handlers: {
      recommend: createRecommendHandler({ recommender: engine, popular: engine, ...telemetry('recommend') }),
      events: createEventsHandler({
        recommender: engine,
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
}
