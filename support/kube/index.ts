export { boundedApiClient, openCluster, KubeconfigError, type ClusterClient } from './clients.js';
export {
  withRetry, isTransientApiError, isNotFound, statusCodeOf, describeApiError, toKubeApiError, backoffDelay,
  KubeApiError, type RetryOptions,
} from './retry.js';
export {
  waitFor, waitForAbsent,
  type KubeObject, type WaitForObjectInput, type WaitForListInput, type WaitForAbsentInput,
} from './wait-for.js';
export {
  getLatticeCluster, createLatticeCluster, deleteLatticeCluster, patchLatticeCluster,
  watchClusterPhase, waitForClusterPhaseAmong, waitForLatticeClusterAbsent, phaseOf, describeCluster,
  CLUSTER_PHASES, LATTICE_CLUSTERS_PATH, RUN_ID_LABEL,
  type ClusterPhase, type ClusterCondition, type LatticeCluster, type LatticeClusterStatus, type PhaseTransition,
  type ClusterPhaseResult, type WaitForClusterPhaseInput,
} from './lattice-cluster.js';
export {
  countReadyWorkers, waitForReadyWorkers, listNodesSummary, readyWorkers, isNodeReady, isWorkerNode, summarizeNode,
  CONTROL_PLANE_LABEL, type NodeSummary, type WaitForReadyWorkersInput,
} from './nodes.js';
export {
  readCapiKubeconfig, waitForCapiKubeconfig, getCapiCluster, listCapiClusters, getMachineDeployment,
  capiNamespace, capiKubeconfigSecretName, machineDeploymentName, CapiKubeconfigError, type CapiObject,
} from './capi.js';
export { writeKubeconfigFile } from './kubeconfig-file.js';
export { proxyKubeconfigFor, AuthProxyError } from './auth-proxy.js';
export { getJson } from './raw-request.js';
export { startWatch, type WatchHandle, type WatchEvent } from './watch-stream.js';
export { watchAcross, type WatchAcrossInput } from './watch-across.js';
export { recordDetection, type Detection } from './detections.js';
