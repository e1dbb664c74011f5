/**
 * The built-in kinds every simulated cluster serves (core v1, apps/v1, autoscaling/v2,
 * apiextensions): the store registers them at creation, as a real API server has them compiled in.
 */
import type { ResourceType } from '../apiserver/types.js';

const core = (plural: string, kind: string, namespaced: boolean, extra: Partial<ResourceType> = {}): ResourceType =>
  ({ group: '', version: 'v1', plural, kind, namespaced, ...extra });

export const CORE_KINDS: ResourceType[] = [
  core('namespaces', 'Namespace', false, { shortNames: ['ns'], statusSubresource: true, fieldSelectors: ['status.phase'] }),
  core('pods', 'Pod', true, {
    shortNames: ['po'], statusSubresource: true,
    fieldSelectors: ['spec.nodeName', 'status.phase', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName'],
  }),
  core('services', 'Service', true, { shortNames: ['svc'], statusSubresource: true }),
  core('secrets', 'Secret', true, { fieldSelectors: ['type'] }),
  core('configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  core('serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  core('nodes', 'Node', false, { shortNames: ['no'], statusSubresource: true, fieldSelectors: ['spec.unschedulable'] }),
  core('events', 'Event', true, {
    shortNames: ['ev'],
    fieldSelectors: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'], statusSubresource: true }),
  core('persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'], statusSubresource: true }),
  core('endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], statusSubresource: true, scaleSubresource: true },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], statusSubresource: true, scaleSubresource: true, fieldSelectors: ['status.replicas'] },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], statusSubresource: true, scaleSubresource: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], statusSubresource: true },
  {
    group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], statusSubresource: true,
    printerColumns: [
      { name: 'Reference', type: 'string', jsonPath: '.spec.scaleTargetRef.name' },
      { name: 'MinPods', type: 'integer', jsonPath: '.spec.minReplicas' },
      { name: 'MaxPods', type: 'integer', jsonPath: '.spec.maxReplicas' },
      { name: 'Replicas', type: 'integer', jsonPath: '.status.currentReplicas' },
    ],
  },
  { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], statusSubresource: true },
];
