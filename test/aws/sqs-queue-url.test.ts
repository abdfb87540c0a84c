import { describe, expect, it } from 'vitest';
import { isSqsQueueUrl } from '../../src/aws/sqs-queue-url.ts';

describe('Function: isSqsQueueUrl', () => {
  it.each([
    'https://sqs.us-east-1.amazonaws.com/123456789012/events-dlq',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/consumer-failures.fifo',
    'http://localhost:4566/000000000000/events-dlq',
    'http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/q',
  ])('accepts %s', (url) => {
    expect(isSqsQueueUrl(url)).toBe(true);
  });

  it.each([
    'notaurl',
    'sqs.us-east-1.amazonaws.com/123456789012/q',
    'ftp://sqs.us-east-1.amazonaws.com/123456789012/q',
    'https://sqs.us-east-1.amazonaws.com/',
    'https://sqs.us-east-1.amazonaws.com/123456789012/q/',
    'https://sqs.us-east-1.amazonaws.com/123456789012/q?x=1',
    '',
  ])('rejects %j', (url) => {
    expect(isSqsQueueUrl(url)).toBe(false);
  });
});
