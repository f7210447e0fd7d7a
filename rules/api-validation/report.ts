import type { RuleContext } from '../../src/engine/rule.js';
import type { ObjectPath, Target } from '../../src/types.js';

/** What happens to an object that fails validation: the kubelet skips a static pod file, the API server rejects the rest. */
export function consequence(context: RuleContext): string {
  if (context.isStaticPodFile && context.object.kind === 'Pod') return 'the kubelet skips this static pod file, so the pod never starts';
  return `the API server rejects the ${typeof context.object.kind === 'string' ? context.object.kind : 'object'}`;
}

export type Reporter = (
  messageId: string,
  path: ObjectPath,
  target: Target,
  data?: Readonly<Record<string, string | number>>,
) => void;

/** A report function that fills in {{consequence}} for every message. */
export function reporter(context: RuleContext): Reporter {
  const outcome = consequence(context);
  return (messageId, path, target, data = {}) =>
    context.report({ messageId, path, target, data: { consequence: outcome, ...data } });
}
