import { expect } from 'chai';
import winston from 'winston';
import { listen, type RunningServer } from './http-server.js';
import { decodeCalculate, encodeCalculatePath, makeHttpHandler } from './http-transport.js';
import { newArithmeticService } from './service.js';

const log = winston.createLogger({ silent: true });

describe('http transport', () => {
  let server: RunningServer;
  let base: string;
  before(async () => {
    server = await listen(makeHttpHandler(newArithmeticService(), log), { host: '127.0.0.1', port: 0 }, log);
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server?.drain());

  const table: Array<[method: string, path: string, status: number, body: unknown]> = [
    ['GET', '/calculate/add/2/3', 200, { result: 5 }],
    ['GET', '/calculate/sub/2/3', 200, { result: -1 }],
    ['GET', '/calculate/mul/-1.5/4', 200, { result: -6 }],
    ['GET', '/calculate/div/1/4', 200, { result: 0.25 }],
    ['GET', '/calculate/mul/1e2/2?ignored=1', 200, { result: 200 }],
    ['GET', '/calculate/div/1/0', 400, { error: 'division by zero', code: 'ARITH_ERR_DIVISION_BY_ZERO' }],
    ['GET', '/calculate/mul/1e300/1e300', 400, { error: 'the result of mul is out of range', code: 'ARITH_ERR_OVERFLOW' }],
    ['GET', '/calculate/add/x/1', 400, { error: '"x" is not a number', code: 'ARITH_ERR_INVALID_OPERAND' }],
    ['GET', '/calculate/add/1/Infinity', 400, { error: '"Infinity" is not a number', code: 'ARITH_ERR_INVALID_OPERAND' }],
    ['GET', '/calculate/add/0x10/1', 400, { error: '"0x10" is not a number', code: 'ARITH_ERR_INVALID_OPERAND' }],
    ['GET', '/calculate/pow/2/3', 404, { error: 'unknown operation "pow"; use add, sub, mul, div', code: 'ARITH_ERR_NOT_FOUND' }],
    ['GET', '/calculate/add/1', 404, { error: 'no route for /calculate/add/1', code: 'ARITH_ERR_NOT_FOUND' }],
    ['GET', '/', 404, { error: 'no route for /', code: 'ARITH_ERR_NOT_FOUND' }],
    ['GET', '/health', 200, { status: 'passing' }],
    ['POST', '/calculate/add/2/3', 405, { error: 'POST is not allowed here; use GET', code: 'ARITH_ERR_METHOD_NOT_ALLOWED' }],
  ];
  for (const [method, path, status, body] of table) {
    it(`${method} ${path} → ${status}`, async () => {
      const res = await fetch(base + path, { method });
      expect(res.status).to.equal(status);
      expect(res.headers.get('content-type')).to.equal('application/json');
      if (status === 405) expect(res.headers.get('allow')).to.equal('GET');
      expect(await res.json()).to.deep.equal(body);
    });
  }

  it('encodeCalculatePath and decodeCalculate round-trip any finite operands', () => {
    for (const [a, b] of [[1, 2], [-0.5, 1e21], [5e-324, -Number.MAX_VALUE]]) {
      const path = encodeCalculatePath({ op: 'add', a, b });
      const segments = path.split('/').slice(2).map(decodeURIComponent);
      expect(decodeCalculate(segments)).to.deep.equal({ op: 'add', a, b });
    }
  });
});
