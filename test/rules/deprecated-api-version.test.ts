import { ruleTester } from '../helpers/rule-tester.js';

const object = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`;

ruleTester('deprecated-api-version', {
  valid: [
    { name: 'apps/v1 DaemonSet', code: object('apps/v1', 'DaemonSet') },
    { name: 'core v1 Pod', code: object('v1', 'Pod') },
    { name: 'a custom resource group is not ours to judge', code: object('monitoring.coreos.com/v1', 'ServiceMonitor') },
    { name: 'a kind no version knows is left to other rules', code: object('v1', 'List') },
    { name: 'batch/v1beta1 CronJob is fine for a 1.24 cluster', kubeVersion: '1.24', code: object('batch/v1beta1', 'CronJob') },
  ],
  invalid: [
    {
      name: 'extensions/v1beta1 DaemonSet, with the migration note',
      code: object('extensions/v1beta1', 'DaemonSet'),
      errors: [{ messageId: 'removed', severity: 2, line: 1, column: 13, endColumn: 31, message: 'removed in Kubernetes 1.16 and is not served by 1.36; use apps/v1 (note: the selector becomes required' }],
    },
    {
      name: 'apps/v1beta2 DaemonSet',
      code: object('apps/v1beta2', 'DaemonSet'),
      errors: [{ messageId: 'removed', severity: 2, line: 1, column: 13, message: 'use apps/v1' }],
    },
    {
      name: 'policy/v1beta1 PodDisruptionBudget on 1.25',
      kubeVersion: '1.25',
      code: object('policy/v1beta1', 'PodDisruptionBudget'),
      errors: [{ messageId: 'removed', severity: 2, line: 1, column: 13, message: 'use policy/v1' }],
    },
    {
      name: 'a built-in version the table does not list, found from the bundled schemas',
      code: object('storage.k8s.io/v1alpha1', 'VolumeAttributesClass'),
      errors: [{ messageId: 'notServed', severity: 2, line: 1, column: 13, message: 'is not served by Kubernetes 1.36; use storage.k8s.io/v1' }],
    },
    {
      name: 'a version served only by later releases',
      kubeVersion: '1.28',
      code: object('storage.k8s.io/v1', 'VolumeAttributesClass'),
      errors: [{ messageId: 'notServed', severity: 2, line: 1, column: 13, message: 'is not served by Kubernetes 1.28' }],
    },
  ],
});
