@pivot
Feature: Pivot: every cluster manages itself
  Lattice provisions a cluster through Cluster API from its parent and then pivots it: the cluster's
  own Cluster API resources move into it, and from then on it manages itself. Deleting a cluster
  through its own API reverses the pivot: its resources go back to the parent, which tears the
  infrastructure down. Management, workload and workload2 form a three-level hierarchy.

  # Lattice sets the MachineDeployment's replicas to spec.nodes.workers whenever they differ, down as
  # well as up (lattice-cluster controller.rs:1896-1917 at 1236706e); the counts below are exact.
  Scenario: A cluster that manages itself scales its workers down and up again on its own copy
    Given a workload cluster managed by Lattice with 2 ready workers
    When the workload cluster's workers are scaled to 1 on its own copy
    Then the workload cluster has 1 ready worker
    When the workload cluster's workers are scaled to 2 on its own copy
    Then the workload cluster has 2 ready workers

  # b5d50e90 moves a child's Cluster API resources out of its parent (lattice-move/src/cell.rs:507-517)
  # and labels every worker with its pool (capi/provider/mod.rs:845, :923).
  @lattice-2026-04 @pivot-moves
  Scenario: After the pivot the child's resources are its own and its workers carry their pool's label
    Given a workload cluster managed by Lattice with 2 ready workers
    Then the management cluster no longer holds the workload cluster's Cluster API resources
    And each worker of the workload cluster carries its worker pool's label

  # A refused install ends non-zero and deletes its bootstrap cluster (lattice-cli install.rs:224-231,
  # :585; an even control-plane count is refused before anything is provisioned: crd/types.rs:325-329,
  # lattice-cluster controller.rs:1551-1562 writes Failed, reason ValidationFailed at :2222);
  # an uninstall naming no cluster of the kubeconfig stops before creating anything (uninstall.rs:77-82).
  @docker
  Scenario: An install or uninstall Lattice refuses exits non-zero and leaves nothing behind
    Given the management cluster is installed from the "docker-mgmt" fixture
    When another cluster is installed from the "docker-mgmt" fixture with 2 control-plane nodes
    Then the install exits non-zero and leaves neither that cluster nor a bootstrap cluster
    When the management cluster is uninstalled under a name it does not hold
    Then the uninstall exits non-zero and leaves no bootstrap cluster
    And the management cluster manages itself

  Scenario Outline: Install, provision, pivot, nest, unpivot and uninstall on <provider>
    Given the management cluster is installed from the "<management>" fixture
    Then the management cluster manages itself
    When the workload cluster is created on the management cluster from the "<workload>" fixture
    Then the management cluster sees the workload cluster pass through Pending, Provisioning, Pivoting, Ready in that order
    And the workload cluster already held its own Cluster API resources when the management cluster first said it was Ready
    And the workload cluster manages itself
    And the workload cluster has the ready workers its fixture asks for
    When the workload2 cluster is created on the workload cluster from the "<workload2>" fixture while the mesh and media checks run on the workload cluster
    Then the workload cluster sees the workload2 cluster become Ready
    And the workload2 cluster already held its own Cluster API resources when the workload cluster first said it was Ready
    And the workload2 cluster manages itself
    And the mesh and media checks on the workload cluster passed
    When the workload2 cluster is deleted through its own API
    Then the workload2 cluster is unpivoted into the workload cluster and removed from it
    And the workload2 cluster's infrastructure is gone
    When the workload cluster is deleted through its own API
    Then the workload cluster is unpivoted into the management cluster and removed from it
    And the workload cluster's infrastructure is gone
    When the management cluster is uninstalled
    Then no cluster of the hierarchy is left, nor any bootstrap cluster

    @docker
    Examples: Docker
      | provider | management  | workload        | workload2        |
      | Docker   | docker-mgmt | docker-workload | docker-workload2 |

    @aws
    Examples: AWS
      | provider | management | workload     | workload2     |
      | AWS      | aws-mgmt   | aws-workload | aws-workload2 |

    @openstack
    Examples: OpenStack
      | provider  | management     | workload           | workload2           |
      | OpenStack | openstack-mgmt | openstack-workload | openstack-workload2 |

    @proxmox
    Examples: Proxmox
      | provider | management   | workload         | workload2         |
      | Proxmox  | proxmox-mgmt | proxmox-workload | proxmox-workload2 |
