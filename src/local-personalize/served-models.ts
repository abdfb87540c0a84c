import { InvalidInputError } from '../errors.ts';
import { LocalRecommender } from '../local/index.ts';
import type { LocalPersonalize } from './control-plane.ts';
import type { ResourceRecord } from './resources.ts';

/**
 * The engines campaigns and batch jobs answer from: one LocalRecommender per solution version, loaded from its
 * model file on first use, carrying its dataset group's filters and the events streamed since.
 */
export class ServedModels {
  private readonly loading = new Map<string, Promise<LocalRecommender>>();
  private readonly loaded = new Map<string, { datasetGroupArn: string; recommender: LocalRecommender }>();

  constructor(private readonly plane: LocalPersonalize) {}

  /** The engine of an ACTIVE solution version. */
  recommender(version: ResourceRecord): Promise<LocalRecommender> {
    let pending = this.loading.get(version.arn);
    if (pending === undefined) {
      pending = this.load(version);
      this.loading.set(version.arn, pending);
      pending.catch(() => this.loading.delete(version.arn));
    }
    return pending;
  }

  /** Engines of a dataset group already in memory (streamed events and filters go to each). */
  inGroup(datasetGroupArn: string): LocalRecommender[] {
    // Versions may share one engine (the adopted demo's): each engine once, or events would count twice.
    const engines = new Set<LocalRecommender>();
    for (const entry of this.loaded.values()) {
      if (entry.datasetGroupArn === datasetGroupArn) engines.add(entry.recommender);
    }
    return [...engines];
  }

  /**
   * Adds a filter to every loaded engine of the group; when one cannot compile it (unknown column, textual
   * column…) it is removed again from all and the InvalidInputError surfaces.
   */
  addFilter(datasetGroupArn: string, name: string, expression: string): void {
    const added: LocalRecommender[] = [];
    try {
      for (const recommender of this.inGroup(datasetGroupArn)) {
        recommender.createFilter(name, expression);
        added.push(recommender);
      }
    } catch (error) {
      for (const recommender of added) recommender.deleteFilter(name);
      throw error;
    }
  }

  removeFilter(datasetGroupArn: string, name: string): void {
    for (const recommender of this.inGroup(datasetGroupArn)) recommender.deleteFilter(name);
  }

  /**
   * Serves `versionArn` from an engine already in memory (the one `npm start` trained), with the group's
   * filters it lacks: those created on the demo group before a restart live in the state folder only.
   */
  adopt(versionArn: string, datasetGroupArn: string, recommender: LocalRecommender): void {
    this.addGroupFilters(recommender, datasetGroupArn);
    this.loading.set(versionArn, Promise.resolve(recommender));
    this.loaded.set(versionArn, { datasetGroupArn, recommender });
  }

  evict(versionArn: string): void {
    this.loading.delete(versionArn);
    this.loaded.delete(versionArn);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    this.loading.clear();
    this.loaded.clear();
  }

  private async load(version: ResourceRecord): Promise<LocalRecommender> {
    const datasetGroupArn = String(version.props.datasetGroupArn);
    const recommender = await LocalRecommender.load(this.plane.store.modelFile(version.id));
    this.addGroupFilters(recommender, datasetGroupArn);
    this.loaded.set(version.arn, { datasetGroupArn, recommender });
    return recommender;
  }

  /** Compiles the group's ACTIVE filters the engine does not have yet into it. */
  private addGroupFilters(recommender: LocalRecommender, datasetGroupArn: string): void {
    const known = new Set(recommender.filterNames);
    for (const filter of this.plane.store.list('filter', datasetGroupArn)) {
      if (filter.status !== 'ACTIVE' || known.has(filter.name)) continue;
      try {
        recommender.createFilter(filter.name, String(filter.props.filterExpression));
      } catch (error) {
        // A filter on columns this version's data lacks stays unusable here; requests naming it get the error.
        if (!(error instanceof InvalidInputError)) throw error;
      }
    }
  }
}
