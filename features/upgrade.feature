@upgrade
Feature: Upgrade resilience: policy fails closed while nodes roll
  A Kubernetes upgrade drains and replaces every node, restarting pods and waypoints. While that
  happens, dropped traffic is acceptable; traffic that no agreement allows must never get through,
  not even for a moment. Afterwards every agreement holds again.

  @lattice-2026-04
  Scenario Outline: Upgrading the workload cluster under mesh traffic (<provider>)
    Given the management cluster is installed from the "<management>" fixture
    And the workload cluster is provisioned at the upgrade's starting version on the management cluster from the "<workload>" fixture
    And the workload cluster is scaled to 2 ready workers
    And the fixed mesh runs on the workload cluster
    And every agreement of the fixed mesh holds on the workload cluster
    When the workload cluster's Kubernetes version is raised to the upgrade's target version
    Then no forbidden connection gets through while the workload cluster's nodes roll to the target version
    And every node of the workload cluster is Ready at the target version
    And every agreement of the fixed mesh holds on the workload cluster

    @docker
    Examples: Docker
      | provider | management  | workload        |
      | Docker   | docker-mgmt | docker-workload |

    @aws
    Examples: AWS
      | provider | management | workload     |
      | AWS      | aws-mgmt   | aws-workload |
