@media
Feature: Media stack: shared volumes and co-location
  A service can own a shared volume and others can mount parts of it. Lattice creates one claim
  for the shared volume, private claims for each service's own volumes, and schedules every
  service that mounts a shared volume onto the node of its owner, because the volume can be
  attached to one node only. Agreements still decide who may call whom.

  Background:
    Given a workload cluster managed by Lattice with 2 ready workers

  Scenario: jellyfin, nzbget and sonarr share their library and downloads on one node
    When the media services jellyfin, nzbget and sonarr are deployed on the workload cluster
    Then every media service becomes available
    And these volume claims exist:
      | claim             | size | shared |
      | vol-media-storage | 1Ti  | yes    |
      | jellyfin-config   | 10Gi | no     |
      | jellyfin-cache    | 20Gi | no     |
      | nzbget-config     | 1Gi  | no     |
      | sonarr-config     | 5Gi  | no     |
    And exactly one shared volume claim exists
    And the media services run on one node
    And what jellyfin writes under "/media" sonarr reads under "/tv"
    And what nzbget writes under "/downloads" sonarr reads under "/downloads"
    And jellyfin does not see what nzbget wrote
    And the media namespace's waypoint becomes available
    And sonarr may call jellyfin and nzbget
    And jellyfin may not call sonarr
