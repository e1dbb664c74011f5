@parent-deletion @lattice-2026-04
Feature: Deleting a cluster from its parent
  A pivoted cluster can be removed from above as well as through its own API: deleting it on its
  parent shows it as Deleting there, the parent asks the cluster to hand its Cluster API resources
  back, tears its infrastructure down and removes it.

  A cluster that has a parent and still has clusters of its own says, when it is deleted through its
  own API, that its deletion is blocked by those children. In current Lattice that is a message, not
  a hold: the cluster's agent hands its Cluster API resources to the parent as soon as it is being
  deleted, and the parent removes it all the same; its children run on, managing themselves.
  (A management cluster has no parent and says nothing of the kind.)

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers
    And the workload2 cluster is provisioned on the workload cluster from the "docker-workload2" fixture

  Scenario: A child deleted on its parent is shown as Deleting, hands its resources back and goes
    When the workload2 cluster is deleted on its parent, the workload cluster
    Then the workload cluster shows the workload2 cluster as Deleting
    And the workload2 cluster hands its Cluster API resources back to the workload cluster and is removed from it
    And the workload2 cluster's infrastructure is gone

  # The controller holds the cluster's own copy with this message (cluster/controller/deletion.rs:241-265);
  # its agent sends the CAPI objects to the parent once the copy is being deleted (lattice-agent
  # client/connection.rs:309-340, client/deletion.rs:23-122) and the parent imports them and deletes
  # its copy (lattice-cell server.rs:271-360), which deletes the infrastructure (deletion.rs:130-191).
  Scenario: A cluster that still has a child says its deletion is blocked, and its parent removes it all the same
    When the workload cluster is deleted through its own API while the workload2 cluster still runs on it
    Then the workload cluster says its deletion is blocked by its child workload2
    But the management cluster takes the workload cluster's Cluster API resources back and removes it all the same
    And the workload cluster's infrastructure is gone
    And the workload2 cluster's API still answers
