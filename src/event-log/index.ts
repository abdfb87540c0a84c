export { partitionOf, partitionsBetween } from './partition.ts';
export { type EventLogLine, type ReadEventLogOptions, readEventLog } from './reader.ts';
export { type ReadS3EventLogOptions, readS3EventLog } from './s3-reader.ts';
export { EVENT_LOG_SCHEMA_VERSION, type EventLogRecord, eventLogRecordSchema } from './schema.ts';
export {
  type EventLogToInteractionsInput,
  type EventLogToInteractionsReport,
  eventLogToInteractions,
  type RejectReason,
} from './to-interactions.ts';
export { type SessionEvents, toEventLogRecords } from './to-record.ts';
export { EventLogWriter, type EventLogWriterOptions } from './writer.ts';
