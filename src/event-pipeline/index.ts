export {
  type DedupOptions,
  eventLogConsumer,
  featureStoreConsumer,
  putEventsCalls,
  recommenderConsumer,
} from './consumers.ts';
export { EventPipeline, type EventPipelineOptions, type PipelineStats } from './event-pipeline.ts';
export {
  createLocalEventPipeline,
  type LocalEventPipeline,
  type LocalEventPipelineOptions,
} from './local-pipeline.ts';
export type { DeadLetter, EventConsumer } from './types.ts';
