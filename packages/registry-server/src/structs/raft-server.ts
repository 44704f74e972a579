/** A server as /v1/operator/raft/configuration lists it (Consul's api.RaftServer). */
export interface RaftServer {
  ID: string;
  Node: string;
  Address: string;
  Leader: boolean;
  ProtocolVersion: string;
  Voter: boolean;
}
