import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeNag } from './nag.ts';

export interface KeyedTableProps {
  /** Epoch-seconds attribute DynamoDB's TTL deletes items by. */
  readonly timeToLiveAttribute: string;
  readonly removalPolicy: RemovalPolicy;
  /** A fixed physical name, for a table another stack finds by name. @default - generated */
  readonly tableName?: string;
}

/**
 * The single-table layout every store of the toolkit uses (online store, feature table): string keys `pk` and
 * `sk`, on demand, AWS-managed encryption, point-in-time recovery, TTL. A subclass, not a wrapper, so the
 * table keeps the logical id it had as a plain `Table` (nothing is replaced).
 */
export class KeyedTable extends Table {
  constructor(scope: Construct, id: string, props: KeyedTableProps) {
    super(scope, id, {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: props.timeToLiveAttribute,
      removalPolicy: props.removalPolicy,
      ...(props.tableName !== undefined && { tableName: props.tableName }),
    });
  }
}

/**
 * A queue of what a pipeline could not deliver (a dead-letter queue or an on-failure destination): encrypted,
 * TLS only, kept the SQS maximum of 14 days for the replay tools. It has no DLQ of its own: it is the last
 * stop, which cdk-nag's SQS3 is told with `purpose`. A subclass, so logical ids stay those of a plain `Queue`.
 */
export class UndeliveredQueue extends Queue {
  constructor(scope: Construct, id: string, props: { readonly purpose: string }) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(this, 'SQS3', props.purpose);
  }
}
