@independence @destroys-infrastructure
Feature: Independence: a pivoted cluster outlives its parent
  After the pivot a workload cluster holds everything it needs to manage itself. Destroying its
  parent outright, with no chance to clean up, must not stop it from reconciling its own spec.

  Scenario Outline: The workload cluster scales its workers after its management cluster is destroyed (<provider>)
    Given the management cluster is installed from the "<management>" fixture
    And the workload cluster is provisioned on the management cluster from the "<workload>" fixture
    And the workload cluster manages itself
    And the workload cluster has 1 ready worker
    When the management cluster's infrastructure is destroyed
    Then the management cluster's API no longer answers
    And the workload cluster's API still answers
    When the workload cluster's workers are scaled to 2 on its own copy
    Then the workload cluster has 2 ready workers

    @docker
    Examples: Docker
      | provider | management  | workload        |
      | Docker   | docker-mgmt | docker-workload |
