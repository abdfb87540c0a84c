import { ResourceNotFoundError } from '../../errors.ts';
import { resourceKey } from '../arn.ts';
import type { LocalPersonalize, Operation } from '../control-plane.ts';
import { TooManyTagsError } from '../errors.ts';
import type { ResourceRecord } from '../resources.ts';
import * as shapes from '../shapes.ts';

const MAX_TAGS = 200;

function taggable(plane: LocalPersonalize, arn: string): ResourceRecord {
  const record = plane.store.find(resourceKey(arn, 'resourceArn'));
  if (record === undefined) throw new ResourceNotFoundError(`resource ${arn} does not exist`);
  return record;
}

const tagResource: Operation = async (plane, body) => {
  const request = plane.parse(shapes.tagResource, body);
  const record = taggable(plane, request.resourceArn);
  const merged = new Map(record.tags.map((t) => [t.tagKey, t.tagValue]));
  for (const tag of request.tags) merged.set(tag.tagKey, tag.tagValue);
  if (merged.size > MAX_TAGS) {
    throw new TooManyTagsError(`a resource holds at most ${MAX_TAGS} tags (would have ${merged.size})`);
  }
  record.tags = [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
  plane.store.touch(record);
  return {};
};

const untagResource: Operation = async (plane, body) => {
  const request = plane.parse(shapes.untagResource, body);
  const record = taggable(plane, request.resourceArn);
  const drop = new Set(request.tagKeys);
  record.tags = record.tags.filter((t) => !drop.has(t.tagKey));
  plane.store.touch(record);
  return {};
};

const listTagsForResource: Operation = async (plane, body) => {
  const { resourceArn } = plane.parse(shapes.byArn('resourceArn'), body) as { resourceArn: string };
  return { tags: taggable(plane, resourceArn).tags };
};

export const TAG_OPERATIONS: Readonly<Record<string, Operation>> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
