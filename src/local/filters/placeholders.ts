import type { FilterAst } from './ast.ts';
import { parseFilterExpression } from './parse.ts';

/** The filter's placeholder names, each with whether an INCLUDE expression needs it (EXCLUDE ones may skip). */
export function filterPlaceholders(ast: FilterAst): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const expression of ast.expressions) {
    const include = expression.action === 'INCLUDE';
    const conditions = [...expression.anyOf.flat(), ...expression.currentUser];
    for (const value of conditions.flatMap((c) => c.values)) {
      if (value.kind === 'placeholder') found.set(value.name, include || (found.get(value.name) ?? false));
    }
  }
  return found;
}

/**
 * The placeholder names of named filters, for a caller that holds the expressions but not the engine (the
 * recommend Lambda in front of Personalize). Undefined for a name it does not know or an expression it cannot
 * parse: the engine that runs the filter reports those.
 */
export function placeholdersByName(
  definitions: readonly { readonly name: string; readonly expression: string }[],
): (nameOrArn: string) => ReadonlySet<string> | undefined {
  const byName = new Map<string, ReadonlySet<string> | undefined>();
  for (const { name, expression } of definitions) {
    try {
      byName.set(name, new Set(filterPlaceholders(parseFilterExpression(expression)).keys()));
    } catch {
      byName.set(name, undefined);
    }
  }
  // The same name-or-ARN rule as the engine's FilterRegistry.
  return (nameOrArn) => byName.get(/^arn:.*:filter\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn);
}
