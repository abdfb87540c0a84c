import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Key layout of the data bucket, shared by the stacks, the workflow and the outputs. */
export const DATA_PREFIXES = {
  batchInput: 'batch/input/',
  batchOutput: 'batch/output/',
  exports: 'exports/',
  models: 'models/',
} as const;

/** Where the training workflow writes the local fallback model and the recommend Lambda reads it. */
export const MODEL_ARTIFACT_KEY = `${DATA_PREFIXES.models}local/model.bin`;

export interface DataBucketProps {
  readonly importPrefix: string;
  readonly retention: 'RETAIN' | 'DESTROY';
}

/**
 * The data bucket (imports, batch jobs, exports, model artifacts) and the bucket receiving its access logs.
 * Personalize reads and writes it through the bucket policy below plus its service role.
 */
export class DataBucket extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const removalPolicy = props.retention === 'RETAIN' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const autoDeleteObjects = props.retention === 'DESTROY';
    this.logBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
      autoDeleteObjects,
    });
    this.bucket = new Bucket(this, 'Data', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'data/',
      eventBridgeEnabled: true,
      lifecycleRules: [
        { prefix: DATA_PREFIXES.exports, expiration: Duration.days(30) },
        { prefix: DATA_PREFIXES.batchOutput, expiration: Duration.days(30) },
        { noncurrentVersionExpiration: Duration.days(30) },
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
    this.grantPersonalizeService(props.importPrefix);
  }

  /** Bucket policy for personalize.amazonaws.com (§6.3), limited to this account's Personalize resources. */
  private grantPersonalizeService(importPrefix: string): void {
    const principal = new ServicePrincipal('personalize.amazonaws.com');
    const { account, region, partition } = this.bucket.stack;
    const conditions = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:personalize:${region}:${account}:*` },
    };
    const objects = (prefix: string) => this.bucket.arnForObjects(`${prefix}*`);
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'PersonalizeList',
        principals: [principal],
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions,
      }),
    );
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'PersonalizeRead',
        principals: [principal],
        actions: ['s3:GetObject'],
        resources: [objects(importPrefix), objects(DATA_PREFIXES.batchInput)],
        conditions,
      }),
    );
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'PersonalizeWrite',
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [objects(DATA_PREFIXES.batchOutput), objects(DATA_PREFIXES.exports)],
        conditions,
      }),
    );
  }
}
