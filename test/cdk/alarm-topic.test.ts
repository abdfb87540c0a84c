import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cdk/config/load.ts';
import { type Template, templatesOf } from './templates-fixture.ts';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
};

function only(template: Template, type: string) {
  const found = Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

describe('Alarm notifications reach the topic', () => {
  let data: Template;
  let serving: Template;

  beforeAll(async () => {
    ({ data, serving } = await templatesOf(loadConfig()));
  }, 120_000);

  it('encrypts the topic with a rotated customer-managed key, not the AWS-managed SNS key', () => {
    const [topicId, topic] = only(data, 'AWS::SNS::Topic');
    const [keyId, key] = only(data, 'AWS::KMS::Key');
    expect(topic.Properties?.['KmsMasterKeyId']).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties?.['EnableKeyRotation']).toBe(true);
    expect(topicId).toBeTruthy();
  });

  it('lets CloudWatch use the key and publish to the topic', () => {
    const [, key] = only(data, 'AWS::KMS::Key');
    const keyStatements = (key.Properties!['KeyPolicy'] as { Statement: Statement[] }).Statement;
    const forCloudWatch = keyStatements.find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch?.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    const [, policy] = only(data, 'AWS::SNS::TopicPolicy');
    const topicStatements = (policy.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement;
    const publish = topicStatements.find((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(publish).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
  });

  it('points every serving alarm at the topic', () => {
    const alarms = Object.values(serving.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties?.['AlarmActions']).toHaveLength(1);
  });
});
