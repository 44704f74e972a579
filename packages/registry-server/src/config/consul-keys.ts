/**
 * Consul agent settings Praetor accepts but does not implement. A config file written for Consul
 * keeps working: these keys (and flags) are ignored with a warning, while a key that is not
 * Consul's at all is an error. Taken from hashicorp/consul agent/config/config.go (Config,
 * Ports, Addresses, Limits, RawUIConfig), deprecated.go and flags.go.
 */
import { DNS_CONFIG_IGNORED } from './dns-settings.js';

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Top-level config-file keys. */
export const CONSUL_ONLY_KEYS = words(`
  acl acl_agent_master_token acl_agent_token acl_datacenter acl_default_policy acl_down_policy
  acl_enable_key_list_policy acl_master_token acl_replication_token acl_token acl_ttl
  enable_acl_replication
  advertise_addr advertise_addr_ipv4 advertise_addr_ipv6 advertise_addr_wan advertise_addr_wan_ipv4
  advertise_addr_wan_ipv6 advertise_reconnect_timeout translate_wan_addrs tagged_addresses
  discovery_max_stale
  audit auto_config auto_encrypt auto_reload_config autopilot cache cloud config_entries connect
  experiments locality peering xds license_path reporting snapshot_agent partition
  segment segments non_voting_server read_replica
  ca_file ca_path cert_file key_file tls tls_cipher_suites tls_min_version tls_prefer_server_cipher_suites
  verify_incoming verify_incoming_https verify_incoming_rpc verify_outgoing verify_server_hostname
  enable_agent_tls_for_checks
  encrypt_verify_incoming encrypt_verify_outgoing disable_keyring_file gossip_lan gossip_wan
  serf_lan serf_wan serf_lan_allowed_cidrs serf_wan_allowed_cidrs
  retry_interval_wan retry_max_wan
  start_join_wan rejoin_after_leave reconnect_timeout_wan
  disable_anonymous_signature disable_coordinates disable_host_node_id
  disable_http_unprintable_char_filter disable_remote_exec disable_update_check
  enable_central_service_config enable_debug http_config rpc use_streaming_backend unix_sockets
  log_file log_json log_rotate_bytes log_rotate_duration log_rotate_max_files log_sublevels
  enable_syslog syslog_facility
  performance primary_datacenter primary_gateways primary_gateways_interval protocol server_name
  raft_boltdb raft_logstore raft_protocol raft_snapshot_interval raft_snapshot_threshold raft_trailing_logs
  telemetry ui_content_path ui_dir watches
  ae_interval check_deregister_interval_min check_reap_interval consul revision segment_limit
  segment_name_limit sync_coordinate_interval_min sync_coordinate_rate_target version
  version_prerelease version_metadata build_date license_poll_base_time license_poll_max_time
  license_update_base_time license_update_max_time
`);

/** Sub-keys of the objects Praetor reads in part, by object. */
export const CONSUL_ONLY_SUBKEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  dns_config: words(DNS_CONFIG_IGNORED),
  ports: words('https grpc grpc_tls serf_lan serf_wan proxy_min_port proxy_max_port expose_min_port expose_max_port'),
  addresses: words('https grpc grpc_tls'),
  limits: words(`https_handshake_timeout request_limits rpc_client_timeout rpc_handshake_timeout
    rpc_max_burst rpc_max_conns_per_client rpc_rate`),
  ui_config: words(`dir content_path metrics_provider metrics_provider_files
    metrics_provider_options_json metrics_proxy dashboard_url_templates`),
};

/** Why ignoring some keys matters: said once in the warning, so nobody assumes protection. */
export const CONSUL_ONLY_NOTES: Readonly<Record<string, string>> = {
  acl: 'ACLs are not enforced: every request is allowed',
  acl_master_token: 'ACLs are not enforced: every request is allowed',
  acl_default_policy: 'ACLs are not enforced: every request is allowed',
  encrypt_verify_incoming: 'with an encrypt key, membership messages are always verified',
  encrypt_verify_outgoing: 'with an encrypt key, membership messages are always signed',
  tls: 'the HTTP API is served without TLS',
  verify_incoming: 'the HTTP API is served without TLS',
  cert_file: 'the HTTP API is served without TLS',
  key_file: 'the HTTP API is served without TLS',
  'ports.https': 'the HTTP API is served without TLS',
  'addresses.https': 'the HTTP API is served without TLS',
};

/** `praetor agent` flags Consul has and Praetor ignores; true = a boolean flag. */
export const CONSUL_ONLY_FLAGS: Readonly<Record<string, boolean>> = {
  advertise: false,
  'advertise-wan': false,
  'allow-write-http-from': false,
  'auto-reload-config': true,
  'disable-host-node-id': true,
  'disable-keyring-file': true,
  'grpc-port': false,
  'grpc-tls-port': false,
  'https-port': false,
  'join-wan': false,
  'log-file': false,
  'log-json': true,
  'log-rotate-bytes': false,
  'log-rotate-duration': false,
  'log-rotate-max-files': false,
  'non-voting-server': true,
  'read-replica': true,
  'primary-gateway': false,
  protocol: false,
  'raft-protocol': false,
  rejoin: true,
  'retry-interval-wan': false,
  'retry-max-wan': false,
  segment: false,
  'serf-lan-allowed-cidrs': false,
  'serf-lan-bind': false,
  'serf-lan-port': false,
  'serf-wan-allowed-cidrs': false,
  'serf-wan-bind': false,
  'serf-wan-port': false,
  syslog: true,
  'ui-content-path': false,
  'ui-dir': false,
};
