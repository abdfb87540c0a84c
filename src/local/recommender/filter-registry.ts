import { InvalidInputError, ResourceNotFoundError } from '../../errors.ts';
import { type CompiledFilter, compileFilter, type FilterCatalog } from '../filters/compile.ts';

/** A named filter as configured: `{ name, expression }`, as CreateFilter takes them. */
export interface FilterDefinition {
  readonly name: string;
  readonly expression: string;
}

/** Personalize's filter name rule (CreateFilter `name`). */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$/;

/** The filters of one recommender, found by name or by ARN (`arn:aws:personalize:…:filter/<name>`). */
export class FilterRegistry {
  private readonly filters = new Map<string, CompiledFilter>();

  constructor(private readonly catalog: FilterCatalog) {}

  get names(): string[] {
    return [...this.filters.keys()];
  }

  /** Parses and compiles the expression; throws InvalidInputError for a bad name, a taken name or expression. */
  create({ name, expression }: FilterDefinition): CompiledFilter {
    if (!NAME.test(name)) {
      throw new InvalidInputError([
        {
          field: 'name',
          message: `must be 1 to 63 characters matching ${NAME.source} (got ${JSON.stringify(name)})`,
        },
      ]);
    }
    if (this.filters.has(name)) {
      throw new InvalidInputError([{ field: 'name', message: `a filter named "${name}" already exists` }]);
    }
    const filter = compileFilter(name, expression, this.catalog);
    this.filters.set(name, filter);
    return filter;
  }

  /** Drops a filter (DeleteFilter); a name not registered is ignored. */
  remove(name: string): void {
    this.filters.delete(name);
  }

  /** The filter a request names; ResourceNotFoundError when there is none. */
  resolve(nameOrArn: string): CompiledFilter {
    const name = /^arn:.*:filter\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;
    const filter = this.filters.get(name);
    if (filter === undefined) {
      const known = this.names.join(', ') || 'none';
      throw new ResourceNotFoundError(`filter "${nameOrArn}" does not exist (filters: ${known})`);
    }
    return filter;
  }
}
