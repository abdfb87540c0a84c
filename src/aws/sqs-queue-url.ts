/**
 * The shape of an SQS queue URL, checked before a command builds its clients: the SQS client derives its
 * endpoint from the queue URL, so a malformed one fails deep in the SDK with a bare `TypeError: Invalid URL`
 * (and a stack) and, worse, the command goes on to call the region's default endpoint.
 */
export const SQS_QUEUE_URL_RULE =
  'must be an SQS queue URL, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/my-queue';

/**
 * True for an http(s) URL whose path ends in a queue name: AWS's `https://sqs.<region>.amazonaws.com/<account>/<name>`
 * and the emulators' `http://localhost:4566/000000000000/<name>` alike.
 */
export function isSqsQueueUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.hostname !== '' &&
    /\/[^/]+$/.test(url.pathname) &&
    url.search === '' &&
    url.hash === ''
  );
}
