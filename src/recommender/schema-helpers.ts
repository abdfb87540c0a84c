import * as z from 'zod/mini';

/**
 * zod/mini idioms shared by every schema module. The project uses zod/mini rather than classic zod because
 * its functions tree-shake: the recommend Lambda's bundle carries only the checks it uses (classic zod's
 * methods added about 60 KB to it, measured with `npm run bench -- recommend-bundle`).
 */

/** `schema` with a description for the OpenAPI document (what classic zod calls `.meta({ description })`). */
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T =>
  schema.check(z.meta({ description }));

/** Fails a transform with `message` (zod/mini hands transforms the parse payload, not a refinement context). */
export function rejectInTransform(ctx: z.core.ParsePayload, input: unknown, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}
