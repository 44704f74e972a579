/** The largest JSON body the API reads outside KV (Consul's txn_max_req_len default). */
export const BODY_LIMIT = 512 * 1024;

export const tooLarge = (size: number) => `Request body(${size} bytes) too large, max size: ${BODY_LIMIT} bytes.`;
