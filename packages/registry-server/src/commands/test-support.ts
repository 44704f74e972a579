import { DEFAULT_WEIGHTS } from '../structs/service.js';
import type { CheckInput, RegisterRequest, ServiceInput } from './register.js';

/** A service instance for registerTx in tests: ID and name `id`, port 80, default weights. */
export function serviceInput(id: string, over: Partial<ServiceInput> = {}): ServiceInput {
  return { ID: id, Service: id, Tags: [], Address: '', Meta: {}, Port: 80, Weights: { ...DEFAULT_WEIGHTS }, EnableTagOverride: false, ...over };
}

/** A passing check for registerTx in tests, named after its ID. */
export function checkInput(id: string, over: Partial<CheckInput> = {}): CheckInput {
  return { CheckID: id, Name: id, Status: 'passing', Notes: '', Output: '', ServiceID: '', Type: '', Definition: {}, ...over };
}

/** A /v1/catalog/register request for tests: node `node` at 10.0.0.1 in dc1, nothing else unless given. */
export function registerRequest(node: string, over: Partial<RegisterRequest> = {}): RegisterRequest {
  return { Node: node, ID: '', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, NodeMeta: {}, Checks: [], SkipNodeUpdate: false, ...over };
}
