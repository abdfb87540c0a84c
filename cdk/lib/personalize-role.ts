import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATA_PREFIXES } from './data-bucket.ts';
import { acknowledgeNag, nagArnOf } from './nag.ts';

export interface PersonalizeRoleProps {
  readonly bucket: IBucket;
  readonly importPrefix: string;
}

/**
 * The role Personalize assumes for imports, batch jobs and exports (§6.3). The trust policy carries the
 * confused-deputy guard: only this account's Personalize resources in this region may assume it.
 */
export class PersonalizeRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: PersonalizeRoleProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    this.role = new Role(this, 'Resource', {
      description: 'Assumed by Amazon Personalize to read imports and batch input and write batch output',
      assumedBy: new ServicePrincipal('personalize.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:personalize:${region}:${account}:*` },
        },
      }),
    });
    const objects = (prefix: string) => props.bucket.arnForObjects(`${prefix}*`);
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [objects(props.importPrefix), objects(DATA_PREFIXES.batchInput)],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [objects(DATA_PREFIXES.batchOutput), objects(DATA_PREFIXES.exports)],
      }),
    );
    const bucketArn = nagArnOf(props.bucket);
    acknowledgeNag(
      this,
      'IAM5',
      'object access is limited to the key prefixes Personalize reads (imports, batch input) or writes',
      [props.importPrefix, DATA_PREFIXES.batchInput, DATA_PREFIXES.batchOutput, DATA_PREFIXES.exports].map(
        (prefix) => `Resource::${bucketArn}/${prefix}*`,
      ),
    );
  }
}
