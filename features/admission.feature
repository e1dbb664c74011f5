@admission @lattice-2026-04
Feature: Admission: Lattice refuses bad specs at the door
  Lattice checks every cluster and service when it is created or changed, before anything acts on
  it. A spec it refuses is refused outright, with a message saying what is wrong: nothing of it is
  stored, so nothing starts to provision or run. Each rule below is Lattice's own.

  Ports are named, so two ports cannot share a name (the second would simply replace the first in
  the manifest before Lattice sees it); what Lattice refuses is two ports with the same number.

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers

  Scenario: Bad specs are refused when they are created, with Lattice's message, and nothing of them exists afterwards
    When these specs are created on the workload cluster:
      | spec                                                        | Lattice says                                          |
      | a cluster with 2 control-plane nodes                        | control plane count must be odd for HA (1, 3, 5, ...) |
      | a cluster whose parent ports for gRPC and bootstrap are equal | grpc_port and bootstrap_port must be distinct       |
      | a service with 10 replicas and an autoscaling maximum of 5  | replicas cannot exceed autoscaling max                |
      | a service with two ports numbered 8080                      | duplicate service port number: 8080                   |
      | a service whose container has no resource limits            | container 'main' must have resource limits            |
    Then each is refused with Lattice's message
    And none of them exists on the workload cluster

  Scenario: A cluster's parent configuration cannot be changed or removed once it is set
    When the workload cluster's parent configuration is changed on its own copy
    Then the change is refused: "spec.parentConfig is immutable once set. Delete and recreate the cluster to change parent configuration."
    When the workload cluster's parent configuration is removed on its own copy
    Then the change is refused: "spec.parentConfig cannot be removed once set. Delete and recreate the cluster."
    And the workload cluster's parent configuration is as it was
