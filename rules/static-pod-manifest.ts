/**
 * How the kubelet reads a static pod file (pkg/kubelet/config/common.go tryDecodeSinglePod):
 * one Pod, from the first document only, with a name.
 */
import { createRule } from '../src/engine/rule.js';
import { asObject, asString } from '../src/kube.js';

const rule = createRule({
  meta: {
    id: 'static-pod-manifest',
    severity: 'error',
    type: 'problem',
    description: 'A static pod file must hold exactly one Pod, with a metadata.name.',
    rationale:
      'The kubelet decodes a static pod file as a single Pod: it reads only the first YAML document and ' +
      'silently ignores the rest, logs and skips a file that is not a Pod ("couldn\'t parse as pod"), and ' +
      'rejects a pod without metadata.name ("name is needed for the pod"). The pod then simply never starts.',
    kinds: '*',
    messages: {
      extraDocument:
        'the kubelet reads only the first document of a static pod file, so this {{kind}} is silently ignored. ' +
        'Move it into a file of its own.',
      notPod:
        'a static pod file must hold a Pod, but this is {{kind}}: the kubelet skips the file ("couldn\'t parse as pod"). ' +
        'Put only Pod manifests in the static pod directory.',
      missingName:
        'static pod has no metadata.name: the kubelet rejects it ("name is needed for the pod"). ' +
        'Set metadata.name; the kubelet names the pod <name>-<node name>.',
    },
  },
  check(context) {
    if (!context.isStaticPodFile) return;
    const kind = asString(context.object.kind);
    const described = kind ? `a ${kind}` : 'an object without a kind';
    if (context.documentIndex !== context.firstNonEmptyDocumentIndex) {
      if (context.inList) return;
      context.report({ messageId: 'extraDocument', data: { kind: kind ?? 'document' }, path: ['kind'], target: 'value' });
      return;
    }
    if (context.inList) {
      // Report the List once, at its own kind, not at each item.
      if (context.listIndex === 0) {
        context.report({ messageId: 'notPod', data: { kind: 'a List' }, path: ['kind'], target: 'value', fromDocumentRoot: true });
      }
      return;
    }
    if (kind !== 'Pod') {
      context.report({ messageId: 'notPod', data: { kind: described }, path: ['kind'], target: 'value' });
      return;
    }
    const metadata = asObject(context.object.metadata);
    if (!asString(metadata?.name)) {
      context.report({ messageId: 'missingName', path: metadata ? ['metadata', 'name'] : ['kind'], target: 'key' });
    }
  },
});

export default rule;
