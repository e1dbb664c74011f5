@proxy-access @lattice-2026-04
Feature: Reaching a cluster through the hierarchy
  Every cluster of the hierarchy is reached through the management cluster's access point, under the
  caller's own identity: a service account's token, never a cluster's admin credentials. The
  platform decides who may reach which cluster; the management cluster refuses everyone else
  (403 Forbidden). A cluster further down is reached through each of its parents in turn, and
  everything kubectl does works along the way: reading, logs, and running a command in a pod.

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers

  Scenario: Only a service account the platform permits reaches a child cluster's API through the management cluster
    Given the service accounts "proxy-allowed" and "proxy-denied" on the management cluster
    And the platform permits "proxy-allowed" to access the workload cluster
    When each of them asks the management cluster for the workload cluster's namespaces
    Then "proxy-allowed" is answered 200 OK, with the workload cluster's namespaces
    And "proxy-denied" is refused with 403 Forbidden

  Scenario: A permitted service account lists pods, reads logs and runs a command on workload2 through two hops
    Given the workload2 cluster is provisioned on the workload cluster from the "docker-workload2" fixture
    And the service account "proxy-operator" on the management cluster, permitted by the platform to access the workload2 cluster
    And a pod printing a marker runs on the workload2 cluster
    When "proxy-operator" reaches the workload2 cluster through the management cluster
    Then it lists that pod among the workload2 cluster's pods
    And it reads the marker in the pod's logs
    And a command it runs in the pod answers
