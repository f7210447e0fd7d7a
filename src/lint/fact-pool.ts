/**
 * One copy of each string and path the facts of a run repeat. The main thread holds every
 * file's run facts until the run ends (100,000 documents: about 25,000 facts), and those a
 * worker sends arrive as new copies of every string: "missing-reference", "kube-system",
 * ["spec", "template", "spec", "serviceAccountName"], again for every object.
 */
import type { ObjectPath, RunFacts, Target } from '../types.js';

export class FactPool {
  private readonly strings = new Map<string, string>();
  private readonly paths = new Map<string, ObjectPath>();

  string(value: string): string {
    const kept = this.strings.get(value);
    if (kept !== undefined) return kept;
    this.strings.set(value, value);
    return value;
  }

  /** Plain data (a rule's fact) with its strings pooled. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[this.string(key)] = this.value(item);
    return copy;
  }

  /** Paths are only read, so equal ones can be one array. */
  path(path: ObjectPath): ObjectPath {
    const key = JSON.stringify(path);
    const kept = this.paths.get(key);
    if (kept !== undefined) return kept;
    const pooled = path.map((segment) => (typeof segment === 'string' ? this.string(segment) : segment));
    this.paths.set(key, pooled);
    return pooled;
  }

  /** Pools a result's facts in place. */
  facts(runFacts: RunFacts): void {
    for (const fact of runFacts.facts) {
      fact.ruleId = this.string(fact.ruleId);
      fact.fact = this.value(fact.fact);
      if (fact.deferred) {
        fact.deferred.path = this.path(fact.deferred.path);
        fact.deferred.target = this.string(fact.deferred.target) as Target;
      }
    }
  }
}
