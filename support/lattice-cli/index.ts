export { installCluster, uninstallCluster, installArgs, uninstallArgs, type InstallClusterInput, type UninstallClusterInput } from './install.js';
export { checkCli, cliVersion } from './check-cli.js';
export {
  runCli, CliNotFoundError, CliFailedError, CliTimeoutError, CliCancelledError, TAIL_LINES,
  type RunCliInput, type CliRunResult,
} from './run-cli.js';
export { createLineRedactor, createStreamRedactor, redactLine, secretValuesFor } from './redaction.js';
