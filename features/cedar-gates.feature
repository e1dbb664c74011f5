@cedar-gates @lattice-2026-04
Feature: Security exceptions stay closed until the platform permits them
  A service runs restricted by default: not as root, with a read-only root filesystem and every
  Linux capability dropped. Anything beyond that is an exception: accepting calls from any caller,
  calling an endpoint outside the cluster, running as root, adding a capability. Lattice keeps each
  exception closed until the platform team has written a policy permitting it to that service (the
  platform's policies count only in the platform's own namespace, lattice-system). Without the
  permit the service is Failed, with a message that names what was denied, and nothing of the
  exception gets through; once the permit is in place the service becomes Ready.

  Withdrawing a permit makes Lattice look at its services again: a service that needs the withdrawn
  exception is Failed again, with the same message, and Lattice applies nothing new for it. Lattice
  does not tear down what the service already runs.

  Mounting another service's shared volume is not the platform's decision but the owner's: the
  owner lists the services that may mount it (its allowed consumers). A service missing from that
  list is Failed until the owner adds it, and Failed again once the owner takes it off.

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers

  Scenario: A service that asks for no exception needs no permit and runs restricted
    When the service plain, which asks for no exception, is deployed in the "gate-defaults" namespace of the workload cluster
    Then plain becomes Ready
    And every container of plain runs as a non-root user, with a read-only root filesystem and all capabilities dropped

  Rule: Accepting calls from any caller needs the platform's permit

    Scenario: catalog accepts calls from any caller only while the platform permits it
      Given catalog asks to accept calls from any caller, and web calls it, in the "gate-any-caller" namespace
      When they are deployed on the workload cluster
      Then catalog is Failed with Lattice's message:
        """
        MeshMember failed: Cedar policy denied allows_all (wildcard inbound) for gate-any-caller/catalog; add a permit policy for Action::"AllowWildcard" on Mesh::"inbound"
        """
      And web cannot reach catalog
      When the platform permits the exception
      Then catalog becomes Ready
      And web reaches catalog
      When the platform withdraws the permit
      Then catalog is Failed again with the same message

  Rule: Calling an endpoint outside the cluster needs the platform's permit

    Scenario: egress calls httpbin.org only while the platform permits it
      Given egress asks to call https://httpbin.org, in the "gate-external" namespace
      When they are deployed on the workload cluster
      Then egress is Failed with Lattice's message:
        """
        external endpoint access denied: 'httpbin' (httpbin.org:443): no permit policy for this service and resource
        """
      And no pod of egress runs
      When the platform permits the exception
      Then egress becomes Ready
      And egress reaches https://httpbin.org
      When the platform withdraws the permit
      Then egress is Failed again with the same message

  Rule: Relaxing a container's security needs the platform's permit

    Scenario Outline: <service> may <relaxation> only while the platform permits it
      Given <service> asks to <relaxation>, in the "<namespace>" namespace
      When they are deployed on the workload cluster
      Then <service> is Failed with Lattice's message:
        """
        security override denied: '<exception>' (container 'main'): no permit policy for this service and resource
        """
      And no pod of <service> runs
      When the platform permits the exception
      Then <service> becomes Ready
      And the pods of <service> <in effect>
      When the platform withdraws the permit
      Then <service> is Failed again with the same message

      Examples: relaxations
        | service | relaxation                   | namespace       | exception            | in effect                        |
        | rooted  | run as root                  | gate-root       | runAsRoot            | run as root                      |
        | tools   | add the NET_ADMIN capability | gate-capability | capability:NET_ADMIN | run with NET_ADMIN added         |

  Rule: Mounting another service's shared volume needs the owner's consent

    Scenario: reader mounts library's shared volume only while library lists it as an allowed consumer
      Given library owns the shared volume "books", and reader asks to mount it, in the "gate-volume" namespace
      When they are deployed on the workload cluster
      Then reader is Failed with Lattice's message:
        """
        volume access denied: 'books': not in allowedConsumers of volume 'books' owned by 'gate-volume/library'
        """
      And no pod of reader runs
      When library adds reader to the volume's allowed consumers
      Then reader becomes Ready
      And what library writes to the shared volume reader reads
      When library takes reader off the volume's allowed consumers
      Then reader is Failed again with the same message
