/**
 * The one place that knows where the pod spec lives in every workload kind, and the one
 * walk over its parts (kube-linter's extract.PodSpec; ESLint's visitor). A rule subscribes
 * to the parts it needs with `create(context)` returning a PodSpecVisitor; the engine walks
 * each object once and calls every subscribed handler, so no rule walks containers,
 * volumes or tolerations by itself.
 *
 * Order of the walk, which handlers may rely on: `podSpec`, then every volume (each followed
 * by its projected sources), then every container (containers, initContainers,
 * ephemeralContainers; each followed by its env then envFrom entries), then every
 * toleration, then `podSpec:exit`. Entries that are not mappings are skipped (a wrong type
 * is the schema rule's finding); indexes and paths stay those of the source list.
 */
import type { Container, EnvFromSource, EnvVar, PodSpec, Toleration, Volume, VolumeProjection } from 'kubernetes-types/core/v1.js';
import { asArray, asObject, fieldsOf, getIn, type Fields } from '../kube.js';
import type { ObjectPath } from '../types.js';

/** Where the pod template (its metadata and spec) sits in each kind; a Pod is its own template. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, ObjectPath>> = {
  Pod: [],
  DaemonSet: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  PodTemplate: ['template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Kinds that hold a pod spec. */
export const POD_SPEC_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

/** The path of the object holding the pod's metadata and spec ([] for a Pod), or undefined for kinds without one. */
export function podTemplatePath(kind: unknown): ObjectPath | undefined {
  return typeof kind === 'string' && Object.hasOwn(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
}

/** The path of the PodSpec inside a workload object, or undefined for kinds without one. */
export function podSpecPath(kind: unknown): ObjectPath | undefined {
  const template = podTemplatePath(kind);
  return template && [...template, 'spec'];
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** kubernetes-types ends at 1.30; podCertificate came in 1.34. */
export type Projection = VolumeProjection & { podCertificate?: unknown };

/** What a handler receives: the value (fields checked at compile time, values unknown), its path in the object, its parents. */
export interface PodSpecNode {
  value: Fields<PodSpec>;
  path: ObjectPath;
  kind: string;
  /** The path of the pod template holding this spec and its metadata ([] for a Pod). */
  templatePath: ObjectPath;
}
export interface ContainerNode {
  value: Fields<Container>;
  path: ObjectPath;
  list: ContainerList;
  index: number;
  podSpec: PodSpecNode;
}
export interface VolumeNode {
  value: Fields<Volume>;
  path: ObjectPath;
  index: number;
  podSpec: PodSpecNode;
}
export interface ProjectedSourceNode {
  value: Fields<Projection>;
  path: ObjectPath;
  index: number;
  volume: VolumeNode;
}
export interface TolerationNode {
  value: Fields<Toleration>;
  path: ObjectPath;
  index: number;
  podSpec: PodSpecNode;
}
export interface EnvNode {
  value: Fields<EnvVar>;
  path: ObjectPath;
  index: number;
  container: ContainerNode;
}
export interface EnvFromNode {
  value: Fields<EnvFromSource>;
  path: ObjectPath;
  index: number;
  container: ContainerNode;
}

/** The handlers a rule's `create(context)` returns; each is optional. */
export interface PodSpecVisitor {
  podSpec?(node: PodSpecNode): void;
  'podSpec:exit'?(node: PodSpecNode): void;
  volume?(node: VolumeNode): void;
  projectedSource?(node: ProjectedSourceNode): void;
  container?(node: ContainerNode): void;
  env?(node: EnvNode): void;
  envFrom?(node: EnvFromNode): void;
  toleration?(node: TolerationNode): void;
}

export type PodSpecEvent = keyof PodSpecVisitor;
type NodeOf<E extends PodSpecEvent> = Parameters<NonNullable<PodSpecVisitor[E]>>[0];

/** Calls one visitor's handler; the engine passes one that turns a throw into an internal-error finding. */
export type Invoke = (visitorIndex: number, run: () => void) => void;

/** The pod spec of an object with its path, or undefined when its kind has none or it is not a mapping. */
export function podSpecOf(object: Readonly<Record<string, unknown>>): PodSpecNode | undefined {
  const templatePath = podTemplatePath(object.kind);
  if (!templatePath) return undefined;
  const path = [...templatePath, 'spec'];
  const value = fieldsOf<PodSpec>(getIn(object, path));
  return value && { value, path, kind: object.kind as string, templatePath };
}

/** The mappings of a list with their source index (entries of other types are skipped). */
function entries<T>(list: unknown): Array<[Fields<T>, number]> {
  return asArray(list).flatMap((item, index) => {
    const value = fieldsOf<T>(item);
    return value ? [[value, index] as [Fields<T>, number]] : [];
  });
}

/**
 * Walks the pod spec of `object` once, calling each visitor's handlers in the order
 * described above. Parts no visitor subscribes to are not walked.
 */
export function walkPodSpec(
  object: Readonly<Record<string, unknown>>,
  visitors: readonly PodSpecVisitor[],
  invoke: Invoke = (_index, run) => run(),
): void {
  if (visitors.length === 0) return;
  const podSpec = podSpecOf(object);
  if (!podSpec) return;
  const wants = (...events: PodSpecEvent[]) => visitors.some((visitor) => events.some((event) => visitor[event] !== undefined));
  const emit = <E extends PodSpecEvent>(event: E, node: NodeOf<E>): void => {
    visitors.forEach((visitor, index) => {
      const handler = visitor[event] as ((node: NodeOf<E>) => void) | undefined;
      if (handler) invoke(index, () => handler.call(visitor, node));
    });
  };

  emit('podSpec', podSpec);
  const spec = podSpec.value;
  if (wants('volume', 'projectedSource')) {
    const projected = wants('projectedSource');
    for (const [value, index] of entries<Volume>(spec.volumes)) {
      const volume: VolumeNode = { value, path: [...podSpec.path, 'volumes', index], index, podSpec };
      emit('volume', volume);
      if (!projected) continue;
      for (const [source, sourceIndex] of entries<Projection>(asObject(value.projected)?.sources)) {
        emit('projectedSource', { value: source, path: [...volume.path, 'projected', 'sources', sourceIndex], index: sourceIndex, volume });
      }
    }
  }
  if (wants('container', 'env', 'envFrom')) {
    const env = wants('env');
    const envFrom = wants('envFrom');
    for (const list of CONTAINER_LISTS) {
      for (const [value, index] of entries<Container>(spec[list])) {
        const container: ContainerNode = { value, path: [...podSpec.path, list, index], list, index, podSpec };
        emit('container', container);
        if (env) {
          for (const [item, envIndex] of entries<EnvVar>(value.env)) {
            emit('env', { value: item, path: [...container.path, 'env', envIndex], index: envIndex, container });
          }
        }
        if (envFrom) {
          for (const [item, envIndex] of entries<EnvFromSource>(value.envFrom)) {
            emit('envFrom', { value: item, path: [...container.path, 'envFrom', envIndex], index: envIndex, container });
          }
        }
      }
    }
  }
  if (wants('toleration')) {
    for (const [value, index] of entries<Toleration>(spec.tolerations)) {
      emit('toleration', { value, path: [...podSpec.path, 'tolerations', index], index, podSpec });
    }
  }
  emit('podSpec:exit', podSpec);
}

/** Every container of an object's pod spec (containers, initContainers, ephemeralContainers), with its path. */
export function containersOf(object: Readonly<Record<string, unknown>>): ContainerNode[] {
  const found: ContainerNode[] = [];
  walkPodSpec(object, [{ container: (node) => found.push(node) }]);
  return found;
}

/**
 * One visitor that calls each of `visitors` in turn, for a rule made of parts.
 *
 * Each handler is stored under its own name, never under a computed key: with closures
 * stored under computed keys, one such object per pod, 145 MB of what linting workloads-10k
 * allocated survived young-generation collections (each pod's document carried into the
 * old generation with them); stored by name, 23 MB (--trace-gc-nvp).
 */
export function combineVisitors(...visitors: readonly PodSpecVisitor[]): PodSpecVisitor {
  return new CombinedVisitor(visitors);
}

class CombinedVisitor implements PodSpecVisitor {
  readonly podSpec: PodSpecVisitor['podSpec'];
  readonly 'podSpec:exit': PodSpecVisitor['podSpec:exit'];
  readonly volume: PodSpecVisitor['volume'];
  readonly projectedSource: PodSpecVisitor['projectedSource'];
  readonly container: PodSpecVisitor['container'];
  readonly env: PodSpecVisitor['env'];
  readonly envFrom: PodSpecVisitor['envFrom'];
  readonly toleration: PodSpecVisitor['toleration'];

  constructor(visitors: readonly PodSpecVisitor[]) {
    this.podSpec = inTurn(visitors, 'podSpec');
    this['podSpec:exit'] = inTurn(visitors, 'podSpec:exit');
    this.volume = inTurn(visitors, 'volume');
    this.projectedSource = inTurn(visitors, 'projectedSource');
    this.container = inTurn(visitors, 'container');
    this.env = inTurn(visitors, 'env');
    this.envFrom = inTurn(visitors, 'envFrom');
    this.toleration = inTurn(visitors, 'toleration');
  }
}

/** A handler calling each visitor's handler of `event` in turn; undefined when none has one. */
function inTurn<E extends PodSpecEvent>(visitors: readonly PodSpecVisitor[], event: E): ((node: NodeOf<E>) => void) | undefined {
  // Made for every pod by the rules made of parts: no array for the events none of them has.
  let handlers: Array<(node: NodeOf<E>) => void> | undefined;
  for (const visitor of visitors) {
    const handler = visitor[event] as ((node: NodeOf<E>) => void) | undefined;
    if (handler) (handlers ??= []).push(handler.bind(visitor));
  }
  if (!handlers) return undefined;
  if (handlers.length === 1) return handlers[0];
  return (node) => {
    for (const handler of handlers) handler(node);
  };
}

/**
 * A workload whose pod template has no containers is a partial object, such as a
 * kustomize strategic-merge patch: rules that need the whole object skip it (the schema
 * check still says what is missing).
 */
export function isPartialWorkload(object: Readonly<Record<string, unknown>>): boolean {
  const specPath = podSpecPath(object.kind);
  if (!specPath) return false;
  return !Array.isArray(asObject(getIn(object, specPath))?.containers);
}
