@mesh
Feature: Bilateral agreements in the service mesh
  Every namespace Lattice manages denies all traffic by default. A connection from one service to
  another is allowed only when both sides agree: the caller declares the callee as an outbound
  dependency AND the callee declares the caller as an allowed inbound caller. A one-sided
  declaration allows nothing.

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers

  Scenario: The fixed nine-service mesh allows exactly the agreed connections
    Given these services declare their dependencies in the "mesh-test" namespace:
      | service         | layer    | calls                                                                                  | accepts calls from                             |
      | frontend-web    | frontend | api-gateway, api-users, api-orders, db-users, db-orders, cache, frontend-mobile, frontend-admin |                                  |
      | frontend-mobile | frontend | api-gateway, api-users, api-orders, db-users, db-orders, cache, frontend-web, frontend-admin    |                                  |
      | frontend-admin  | frontend | api-gateway, api-users, api-orders, db-users, db-orders, cache, frontend-web, frontend-mobile   |                                  |
      | api-gateway     | api      | db-users, db-orders, cache                                                              | frontend-web, frontend-mobile, frontend-admin |
      | api-users       | api      | db-users, cache                                                                         | frontend-web, frontend-admin                  |
      | api-orders      | api      | db-orders, cache                                                                        | frontend-mobile, frontend-admin               |
      | db-users        | backend  |                                                                                         | api-gateway, api-users                        |
      | db-orders       | backend  |                                                                                         | api-gateway, api-orders                       |
      | cache           | backend  |                                                                                         | api-gateway, api-users, api-orders            |
    Then the agreements allow exactly these connections:
      | from            | to              | result  | because                     |
      | frontend-web    | api-gateway     | allowed | bilateral agreement         |
      | frontend-web    | api-users       | allowed | bilateral agreement         |
      | frontend-web    | api-orders      | blocked | web not allowed by orders   |
      | frontend-web    | db-users        | blocked | no direct DB access         |
      | frontend-web    | db-orders       | blocked | no direct DB access         |
      | frontend-web    | cache           | blocked | no direct cache access      |
      | frontend-web    | frontend-mobile | blocked | no peer access              |
      | frontend-web    | frontend-admin  | blocked | no peer access              |
      | frontend-mobile | api-gateway     | allowed | bilateral agreement         |
      | frontend-mobile | api-users       | blocked | mobile not allowed by users |
      | frontend-mobile | api-orders      | allowed | bilateral agreement         |
      | frontend-mobile | db-users        | blocked | no direct DB access         |
      | frontend-mobile | db-orders       | blocked | no direct DB access         |
      | frontend-mobile | cache           | blocked | no direct cache access      |
      | frontend-mobile | frontend-web    | blocked | no peer access              |
      | frontend-mobile | frontend-admin  | blocked | no peer access              |
      | frontend-admin  | api-gateway     | allowed | bilateral agreement         |
      | frontend-admin  | api-users       | allowed | bilateral agreement         |
      | frontend-admin  | api-orders      | allowed | bilateral agreement         |
      | frontend-admin  | db-users        | blocked | no direct DB access         |
      | frontend-admin  | db-orders       | blocked | no direct DB access         |
      | frontend-admin  | cache           | blocked | no direct cache access      |
      | frontend-admin  | frontend-web    | blocked | no peer access              |
      | frontend-admin  | frontend-mobile | blocked | no peer access              |
    When the services are deployed on the workload cluster
    Then the mesh's traffic shows exactly the agreed connections, and nothing else gets through

  Scenario: One-sided declarations allow nothing, a wildcard accepts every caller, and a withdrawn acceptance closes the connection
    Given these services declare their dependencies in the "mesh-rules" namespace:
      | service | layer    | calls                           | accepts calls from |
      | web     | frontend | orders, users, catalog          |                    |
      | admin   | frontend | orders, catalog                 |                    |
      | orders  | backend  |                                 | web, admin         |
      | users   | backend  |                                 |                    |
      | catalog | backend  |                                 | *                  |
      | billing | backend  |                                 | web                |
    And the platform permits catalog to accept any caller
    Then the agreements allow exactly these connections:
      | from  | to      | result  | because                      |
      | web   | admin   | blocked | no declaration on either side |
      | web   | orders  | allowed | bilateral agreement          |
      | web   | users   | blocked | users does not accept web    |
      | web   | catalog | allowed | bilateral agreement          |
      | web   | billing | blocked | web does not declare billing |
      | admin | web     | blocked | no declaration on either side |
      | admin | orders  | allowed | bilateral agreement          |
      | admin | users   | blocked | no declaration on either side |
      | admin | catalog | allowed | bilateral agreement          |
      | admin | billing | blocked | no declaration on either side |
    When the services are deployed on the workload cluster
    Then the mesh's traffic shows exactly the agreed connections, and nothing else gets through
    When orders stops accepting calls from admin
    Then the mesh's traffic shows exactly the agreed connections, and nothing else gets through

  @random-mesh
  Scenario: A seeded random mesh allows exactly what its agreements allow
    Given a random mesh generated from the configured seed
    When the random mesh is deployed on the workload cluster
    Then the mesh's traffic shows exactly the agreed connections, and nothing else gets through

  Scenario: A mutual dependency, lookalike names and same-named services in another namespace each get exactly their own agreements, also after an acceptance is withdrawn and given again
    Given these services declare their dependencies in the "mesh-names" namespace:
      | service | layer    | calls       | accepts calls from |
      | web     | frontend | api, orders | orders             |
      | web-v2  | frontend | api, api-v2 |                    |
      | api     | backend  |             | web                |
      | api-v2  | backend  |             | web, web-v2        |
      | orders  | backend  | web         | web                |
    And their namesakes declare other dependencies in the "mesh-namesakes" namespace:
      | service | layer    | calls       | accepts calls from |
      | web     | frontend | api, orders |                    |
      | web-v2  | frontend | api, api-v2 |                    |
      | api     | backend  |             | web-v2             |
      | api-v2  | backend  |             |                    |
      | orders  | backend  |             |                    |
    Then the agreements allow exactly these connections:
      | from   | to     | result  | because                         |
      | web    | web-v2 | blocked | no declaration on either side   |
      | web    | api    | allowed | bilateral agreement             |
      | web    | api-v2 | blocked | web does not declare api-v2     |
      | web    | orders | allowed | bilateral agreement             |
      | web-v2 | web    | blocked | no declaration on either side   |
      | web-v2 | api    | blocked | api does not accept web-v2      |
      | web-v2 | api-v2 | allowed | bilateral agreement             |
      | web-v2 | orders | blocked | no declaration on either side   |
    And the namesakes' agreements allow exactly these connections:
      | from   | to     | result  | because                         |
      | web    | web-v2 | blocked | no declaration on either side   |
      | web    | api    | blocked | api does not accept web         |
      | web    | api-v2 | blocked | no declaration on either side   |
      | web    | orders | blocked | orders does not accept web      |
      | web-v2 | web    | blocked | no declaration on either side   |
      | web-v2 | api    | allowed | bilateral agreement             |
      | web-v2 | api-v2 | blocked | api-v2 does not accept web-v2   |
      | web-v2 | orders | blocked | no declaration on either side   |
    When the services and their namesakes are deployed on the workload cluster
    Then the traffic shows exactly the agreed connections in the services' and in the namesakes' namespace, and nothing else gets through
    # Each change returns only once the traffic shows its new truth table (a leak fails at once).
    When orders stops accepting calls from web
    And orders accepts calls from web again
    Then the mesh's traffic shows exactly the agreed connections, and nothing else gets through
