import { InvalidInputError } from '../errors.ts';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** `s3://bucket/key` → bucket and key (the key may be empty or end in `/` for a folder). */
export function parseS3Uri(uri: string, field = 'uri'): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new InvalidInputError([{ field, message: `must look like s3://bucket/key, got ${uri}` }]);
  return { bucket: match[1]!, key: match[2]! };
}

export const isS3Uri = (text: string): boolean => text.startsWith('s3://');

export const s3Uri = ({ bucket, key }: S3Location): string => `s3://${bucket}/${key}`;

/** A folder location with exactly one trailing slash (Personalize output paths must be folders). */
export function asFolder(location: S3Location): S3Location {
  return {
    bucket: location.bucket,
    key: location.key === '' || location.key.endsWith('/') ? location.key : `${location.key}/`,
  };
}
