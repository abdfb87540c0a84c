import { Readable } from 'node:stream';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/** An SDK-shaped service error (name + HTTP status), as aws-sdk-client-mock rejections need. */
export function awsError(name: string, httpStatusCode: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/** A GetObject body: the SDK's Node body is an IncomingMessage, a Readable, so a plain Readable stands in. */
export function objectBody(text: string): GetObjectCommandOutput['Body'] {
  return Readable.from([Buffer.from(text)]) as unknown as GetObjectCommandOutput['Body'];
}

/** Polling without waiting: records the delays asked for. */
export function fakeClock() {
  const delays: number[] = [];
  let now = 0;
  return {
    delays,
    poll: {
      sleep: async (ms: number) => {
        delays.push(ms);
        now += ms;
      },
      now: () => now,
      initialDelayMs: 1000,
      maxDelayMs: 3000,
    },
  };
}

/** Mocked S3 and Personalize (every instance of each class answers from its mock) plus clients to pass in. */
export function mockedAwsClients() {
  return {
    s3: mockClient(S3Client),
    personalize: mockClient(PersonalizeClient),
    clients: {
      s3: new S3Client({ region: 'us-east-1' }),
      personalize: new PersonalizeClient({ region: 'us-east-1' }),
    },
  };
}
