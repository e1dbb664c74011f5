@parent-deletion @lattice-2026-04
Feature: Deleting a cluster from its parent
  A pivoted cluster can be removed from above as well as through its own API: deleting it on its
  parent shows it as Deleting there, the parent asks the cluster to hand its Cluster API resources
  back, tears its infrastructure down and removes it.

  A cluster that has a parent and still has clusters of its own refuses to go: it says which children
  are in the way and keeps running until they are gone; then its own deletion goes ahead. A
  management cluster has no parent and is never held back this way.

  Scenario: A cluster with a child refuses to delete itself until its child, deleted from the parent, has handed back its resources and gone
    Given a workload cluster managed by Lattice with 2 ready workers
    And the workload2 cluster is provisioned on the workload cluster from the "docker-workload2" fixture
    When the workload cluster is deleted through its own API while the workload2 cluster still runs on it
    Then the workload cluster says its deletion is blocked by its child workload2, and keeps running
    When the workload2 cluster is deleted on its parent, the workload cluster
    Then the workload cluster shows the workload2 cluster as Deleting
    And the workload2 cluster hands its Cluster API resources back to the workload cluster and is removed from it
    And the workload2 cluster's infrastructure is gone
    And the workload cluster is unpivoted into the management cluster and removed from it
    And the workload cluster's infrastructure is gone
