import { expect } from 'chai';
import { Container } from 'inversify';
import winston from 'winston';
import { AxiosClient } from '../sd/consul/axios-client.js';
import { ConsulRegistrar } from '../sd/consul/registrar.js';
import { LeaderElection } from '../lock/leader-election.js';
import { clientModule, leaderElectionModule, loggerModule, registrarModule } from './modules.js';
import { TOKENS } from './tokens.js';

describe('container modules', () => {
  it('build a client and a registrar from constants, as singletons', () => {
    const container = new Container();
    container.load(loggerModule(winston.createLogger({ silent: true })), clientModule({ addresses: ['127.0.0.1:18999'] }), registrarModule({ Name: 'svc', Port: 1 }));
    const client = container.get(TOKENS.Client);
    expect(client).to.be.instanceOf(AxiosClient);
    expect((client as AxiosClient).address).to.equal('http://127.0.0.1:18999');
    const reg = container.get(TOKENS.Registrar);
    expect(reg).to.be.instanceOf(ConsulRegistrar);
    expect(container.get(TOKENS.Registrar)).to.equal(reg);
  });

  it('build a leader election on the client, not started', () => {
    const container = new Container();
    container.load(loggerModule(winston.createLogger({ silent: true })), clientModule({ addresses: ['127.0.0.1:18999'] }), leaderElectionModule({ key: 'service/x/leader' }));
    const e = container.get(TOKENS.LeaderElection);
    expect(e).to.be.instanceOf(LeaderElection);
    expect(container.get(TOKENS.LeaderElection)).to.equal(e);
    expect(e.status().state).to.equal('idle');
  });
});
