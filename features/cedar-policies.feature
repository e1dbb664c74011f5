@cedar-policies @lattice-2026-04
Feature: Only the platform's own policies decide, and a forbid wins over a permit
  The platform team writes its Cedar policies in its own namespace, lattice-system. A policy written
  anywhere else counts for nothing, whoever wrote it. Within the platform's policies a forbid always
  wins: a service both permitted and forbidden an exception does not get it. The same permits decide
  which clusters a service account may reach, and so which clusters the kubeconfig the management
  cluster's access point gives it lists.

  Each scenario first deploys a service the platform permits the same exception alone: once it is
  Ready, Lattice has read every policy written before it, so the judged service's first verdict
  already reflects them.

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers

  Scenario: A forbid overrides a permit for the same exception
    Given the platform permits catalog and shelf to accept calls from any caller in the "policy-forbid" namespace, and forbids it to catalog
    When the platform's policies are written on the workload cluster
    And shelf is deployed and becomes Ready
    And catalog is deployed
    Then catalog is held Failed with Lattice's message:
      """
      MeshMember failed: Cedar policy denied allows_all (wildcard inbound) for policy-forbid/catalog; add a permit policy for Action::"AllowWildcard" on Mesh::"inbound"
      """

  Scenario: A permit written outside lattice-system opens nothing
    Given the platform permits shelf to accept calls from any caller in the "policy-elsewhere" namespace, and a permit for catalog is written in the "policy-outside" namespace
    When the platform's policies are written on the workload cluster
    And shelf is deployed and becomes Ready
    And catalog is deployed
    Then catalog is held Failed with Lattice's message:
      """
      MeshMember failed: Cedar policy denied allows_all (wildcard inbound) for policy-elsewhere/catalog; add a permit policy for Action::"AllowWildcard" on Mesh::"inbound"
      """

  Scenario: The access point's kubeconfig lists only the clusters a service account may reach
    Given the service account "kubeconfig-reader" on the management cluster, whom the platform permits to access the workload cluster only
    When "kubeconfig-reader" asks the management cluster's access point for its kubeconfig, once it reaches the workload cluster
    Then that kubeconfig lists the workload cluster and no other cluster
