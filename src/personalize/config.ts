import type {
  PersonalizeEventsClient,
  PersonalizeEventsClientConfig,
} from '@aws-sdk/client-personalize-events';
import type {
  PersonalizeRuntimeClient,
  PersonalizeRuntimeClientConfig,
} from '@aws-sdk/client-personalize-runtime';

/** The deployed Personalize resources one PersonalizeRecommender talks to. */
export interface PersonalizeResources {
  /**
   * Campaign (or recommender) ARNs per recipe. A recipe without one answers ResourceNotFoundError (resource
   * `campaign`), which the fallback chain serves from the local model.
   */
  readonly campaigns?: {
    readonly userPersonalization?: string;
    readonly similarItems?: string;
    readonly personalizedRanking?: string;
  };
  /** The event tracker's trackingId (not its ARN) that PutEvents carries. */
  readonly trackingId?: string;
  /** Dataset ARNs for PutItems / PutUsers. */
  readonly datasets?: { readonly items?: string; readonly users?: string };
  /** Filter names callers may use, mapped to their ARNs; an ARN given by a caller passes through. */
  readonly filters?: Readonly<Record<string, string>>;
  /**
   * Time budget of one call, retries included; each attempt is aborted when it runs out.
   * @default 1000
   */
  readonly timeoutMs?: number;
  /**
   * Attempts per call, counting the first; only throttling and 5xx replies are retried.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Seed of the PRNG behind the retry jitter (tests pass one to be deterministic).
   * @default - a random seed per instance
   */
  readonly jitterSeed?: number;
}

/**
 * SDK clients are either built from `clientConfig` or injected, never both (the compiler enforces it).
 * Built clients get `maxAttempts: 1`: retries are ours, so they respect the call's time budget.
 */
export type PersonalizeClients =
  | {
      readonly clientConfig?: PersonalizeRuntimeClientConfig & PersonalizeEventsClientConfig;
      readonly runtimeClient?: never;
      readonly eventsClient?: never;
    }
  | {
      readonly clientConfig?: never;
      readonly runtimeClient: PersonalizeRuntimeClient;
      readonly eventsClient: PersonalizeEventsClient;
    };

export type PersonalizeRecommenderOptions = PersonalizeResources & PersonalizeClients;

export const PERSONALIZE_DEFAULTS = { timeoutMs: 1000, maxAttempts: 3 } as const;
