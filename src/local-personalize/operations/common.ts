import * as z from 'zod/mini';
import type { LocalPersonalize, Operation } from '../control-plane.ts';
import { KINDS, type ResourceKind } from '../resources.ts';
import { arn, byArn, listShape } from '../shapes.ts';

/** Describe<Kind>: the resource an ARN member names. */
export function describeOperation(kind: ResourceKind): Operation {
  const member = KINDS[kind].arnMember;
  const shape = byArn(member);
  return async (plane, body) => {
    const request = plane.parse(shape, body) as Record<string, string>;
    return plane.describeOf(plane.lookup(kind, request[member]!));
  };
}

/** List<Kinds>, optionally narrowed to the children of one parent (`datasetGroupArn`, `solutionArn`…). */
export function listOperation(
  kind: ResourceKind,
  parentMember?: string,
  parentKind?: ResourceKind,
): Operation {
  const shape = listShape(parentMember === undefined ? {} : { [parentMember]: z.optional(arn) });
  return async (plane, body) => {
    const request = plane.parse(shape, body) as Record<string, unknown> & {
      nextToken?: string;
      maxResults?: number;
    };
    const parent = parentMember === undefined ? undefined : (request[parentMember] as string | undefined);
    if (parent !== undefined && parentKind !== undefined) plane.lookup(parentKind, parent, parentMember);
    const records =
      parent === undefined
        ? plane.store.list(kind)
        : plane.store.list(kind, canonical(plane, parentKind, parent));
    return plane.listOf(kind, records, request, parent ?? '');
  };
}

/** The stored ARN of a parent named by any-region ARN (lookups ignore region and account). */
function canonical(plane: LocalPersonalize, kind: ResourceKind | undefined, value: string): string {
  return kind === undefined ? value : plane.lookup(kind, value).arn;
}

export const noOutput = async (): Promise<Record<string, unknown>> => ({});

export const emptyObject = z.object({});
