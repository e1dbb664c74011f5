export { meshTailLines, type MeshUnderTest } from './mesh-under-test.js';
export { deployMeshAndWait, platformPoliciesFor, type DeployMeshInput } from './deploy-mesh.js';
export { observeTrafficUntilComplete, cyclesSince, SecurityViolationError, type ObserveTrafficInput } from './observe-traffic.js';
export { runMeshCheck, meshAsSpelled, probeTimingFor, type MeshCheckResult } from './run-mesh-check.js';
export { watchRollFailClosed, runsVersion, describeNodes, type RollWatchInput } from './upgrade-watch.js';
export { withdrawAndAwaitNewTraffic, type WithdrawInput } from './withdraw.js';
export { followMeshLogs, describeFollowerStats, type FollowMeshLogsInput } from './follow-mesh-logs.js';
export { permitAnyCaller } from './any-caller.js';
