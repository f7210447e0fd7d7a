/** Engine options for tests: the built-in rules, as a run without plugins has them. */
import { defaultEngineOptions, type EngineOptions } from '../../src/lint/engine.js';
import { rulesMetaOf } from '../../src/engine/registry.js';
import { BUILT_IN } from '../../rules/index.js';

export function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  return defaultEngineOptions({ registry: BUILT_IN, ...overrides });
}

/** The formatters' context for the built-in rules. */
export const BUILT_IN_META = rulesMetaOf(BUILT_IN);
