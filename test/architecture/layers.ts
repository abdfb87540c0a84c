import type { ImportEdge } from './import-graph.ts';

/**
 * The layer of every folder under `src/` (ARCHITECTURE.md draws the same table): a module may import its own
 * folder and any folder of a LOWER layer, never a sibling of the same layer or anything above. A folder
 * missing from this table fails the test, so a new one gets a place on purpose.
 */
export const SRC_LAYERS: Readonly<Record<string, number>> = {
  'src/errors.ts': 0,
  'src/core': 1,
  'src/config': 1,
  'src/csv': 2,
  'src/schemas': 2,
  'src/recommender': 2,
  'src/cli': 2,
  'src/data-validation': 3,
  'src/datagen': 3,
  'src/local': 3,
  'src/aws': 3,
  'src/evaluation': 4,
  'src/personalize': 4,
  'src/personalize-wire': 4,
  'src/event-log': 4,
  'src/datasets': 4,
  'src/features': 5,
  'src/serving': 6,
  'src/batch': 6,
  'src/event-pipeline': 6,
  'src/api': 7,
  'src/local-personalize': 7,
  'src/local-server': 8,
};

/**
 * Folders under `src/` that `cdk/` may load at synth: constants and schemas, no Lambda runtime code.
 * `src/local/filters` alone of the engine: the filter grammar, pure code, checks filter expressions at synth.
 */
export const CDK_MAY_LOAD = [
  'src/errors.ts',
  'src/config',
  'src/schemas',
  'src/api',
  'src/recommender',
  'src/local/filters',
];

/** Whether `path` is `folder` itself or a file under it. */
function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** `src/local/data/x.ts` → `src/local`; `src/errors.ts` → `src/errors.ts`; `lambdas/events/h.ts` → `lambdas`. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length === 2 ? path : `src/${parts[1]}`;
}

/** Why an import breaks the layering, or undefined when it is allowed. */
export function violation(edge: ImportEdge): string | undefined {
  const from = folderOf(edge.from);
  const to = folderOf(edge.to);
  if (to === 'test' && from !== 'test') return `${from} imports test code`;
  if (from === 'test' || from === 'scripts') return undefined;
  if (from === 'cdk') {
    if (to === 'cdk' || edge.typeOnly) return undefined;
    if (to === 'lambdas')
      return 'cdk/ loads Lambda runtime code at synth (name the entry as a string instead)';
    return CDK_MAY_LOAD.some((folder) => isUnder(edge.to, folder))
      ? undefined
      : `cdk/ loads ${to} at synth (allowed: ${CDK_MAY_LOAD.join(', ')})`;
  }
  if (from === 'lambdas') {
    if (to === 'cdk' || to === 'scripts') return `lambdas/ imports ${to}/`;
    // A Lambda shares code through lambdas/shared only; lambdas/local composes the handlers for `npm start`.
    const [fromLambda, toLambda] = [edge.from.split('/')[1], edge.to.split('/')[1]];
    if (to === 'lambdas' && fromLambda !== toLambda && toLambda !== 'shared' && fromLambda !== 'local')
      return `lambdas/${fromLambda} imports lambdas/${toLambda} (share code through lambdas/shared)`;
    return to.startsWith('src') && !(to in SRC_LAYERS) ? `${to} has no layer` : undefined;
  }
  if (!(from in SRC_LAYERS)) return `${from} has no layer: add it to SRC_LAYERS and ARCHITECTURE.md`;
  if (!to.startsWith('src')) return `src/ imports ${to}/ (src/ never imports lambdas/, cdk/, scripts/)`;
  if (!(to in SRC_LAYERS)) return `${to} has no layer: add it to SRC_LAYERS and ARCHITECTURE.md`;
  if (from === to) return undefined;
  const [a, b] = [SRC_LAYERS[from]!, SRC_LAYERS[to]!];
  if (b < a) return undefined;
  return b === a
    ? `${from} imports its sibling ${to} (layer ${a})`
    : `${from} (layer ${a}) imports ${to} (layer ${b})`;
}
