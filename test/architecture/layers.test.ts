import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, repositoryImports } from './import-graph.ts';
import { violation } from './layers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('import layering', () => {
  it('finds no import that points up, sideways or out of src/', () => {
    const edges = repositoryImports(ROOT, ['src', 'lambdas', 'cdk', 'scripts']);
    // Guards against a walk that silently finds nothing.
    expect(edges.length).toBeGreaterThan(500);
    const broken = edges.flatMap((e) => {
      const why = violation(e);
      return why ? [`${e.from} -> ${e.to}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('rejects deliberately wrong imports', () => {
    const wrong = [
      // The engine importing its judge.
      ['src/local/model/tune.ts', "import { ndcg } from '../../evaluation/evaluate.ts';"],
      // A primitive depending on the engine.
      ['src/core/top-k.ts', "import type { X } from '../local/model/types.ts';"],
      // Library code reaching into the Lambdas, the app or the scripts.
      ['src/serving/x.ts', "import { ENV } from '../../lambdas/shared/wiring.ts';"],
      ['src/local/x.ts', "export { y } from '../../scripts/start.ts';"],
      // The CDK app loading handler code at synth.
      ['cdk/lib/stack.ts', "import { ENV } from '../../lambdas/shared/wiring.ts';"],
      ['cdk/lib/stack.ts', "import { x } from '../../src/serving/fallback-recommender.ts';"],
      // The engine beyond its filter grammar.
      ['cdk/config/schema.ts', "import { train } from '../../src/local/model/train.ts';"],
      // Siblings of one layer stay independent.
      ['src/batch/x.ts', "import { s } from '../serving/index.ts';"],
      // One Lambda importing another.
      ['lambdas/events/h.ts', "import { h } from '../recommend/handler.ts';"],
      // A folder nobody placed.
      ['src/mystery/x.ts', "import { e } from '../errors.ts';"],
    ] as const;
    for (const [file, source] of wrong) {
      const edges = importsOf(file, source);
      expect(edges, source).toHaveLength(1);
      expect(violation(edges[0]!), `${file}: ${source}`).toBeTypeOf('string');
    }
  });

  it('allows imports that point down', () => {
    const right = [
      ['src/evaluation/evaluate.ts', "import { train } from '../local/index.ts';"],
      ['src/local/model/tune.ts', "import { topK } from '../../core/top-k.ts';"],
      [
        'cdk/lib/stack.ts',
        "import type { FallbackReason } from '../../src/serving/fallback-recommender.ts';",
      ],
      ['cdk/lib/stack.ts', "import { OUTPUTS } from '../../src/config/stack-outputs.ts';"],
      ['cdk/config/schema.ts', "import { parse } from '../../src/local/filters/parse.ts';"],
      ['lambdas/local/api.ts', "import { handler } from '../recommend/handler.ts';"],
      ['scripts/start.ts', "import { api } from '../lambdas/local/api.ts';"],
    ] as const;
    for (const [file, source] of right)
      expect(violation(importsOf(file, source)[0]!), source).toBeUndefined();
  });

  it('sees worker modules started from a URL as imports', () => {
    // The `${` is split so the text stays a plain string.
    const source =
      'new URL(`./export-worker$' + "{import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)";
    expect(importsOf('src/batch/export/export.ts', source)).toEqual([
      { from: 'src/batch/export/export.ts', to: 'src/batch/export/export-worker.ts', typeOnly: false },
    ]);
  });
});
