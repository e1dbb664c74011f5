/** The cluster lifecycle of the embedded target: infrastructure, per-cluster hosts, operator, CAPI, installer. */
export { Infrastructure, InfrastructureError, type ClusterInfo, type InfraProvider, type InfrastructureOptions } from './infrastructure.js';
export {
  registerClusterAddon, startClusterHost,
  type ApiServerFactory, type ApiServerHandle, type ClusterAddon, type ClusterAddonContext, type ClusterAddonFactory, type ClusterHost,
} from './cluster-host.js';
export { install, uninstall, InstallError, type InstallInput, type InstallResult, type UninstallInput } from './installer.js';
export { buildKubeconfig, readKubeconfig, type ApiEndpoint } from './kubeconfig.js';
export { validationError, shapeOf, providerOf, type ClusterShape } from './spec.js';
export * from './names.js';
