import { expect } from 'chai';
import { dockerCommandLine } from './command-lines.js';
import { agentConfig } from './agent-command.js';
import { dockerfile } from './deploy-files.js';

// deploy/Dockerfile (issue 10, Deployment), read statically: Docker is not run by the tests.
describe('deploy/Dockerfile (issue 10)', () => {
  const instructions = dockerfile();
  const ops = (op: string) => instructions.filter((i) => i.op === op).map((i) => i.args);
  const runtime = () => instructions.slice(instructions.map((i) => i.op).lastIndexOf('FROM'));

  it('builds in one stage and runs from a second, both on the Node LTS slim image', () => {
    const base = ops('ARG').find((a) => a.startsWith('NODE_IMAGE='));
    expect(base).to.match(/^NODE_IMAGE=node:(22|24)-[a-z]+-slim$/);
    expect(ops('FROM')).to.deep.equal(['${NODE_IMAGE} AS build', '${NODE_IMAGE}']);
    const run = ops('RUN').join('\n');
    expect(run).to.match(/npm ci\b/).and.match(/npm run build\b/).and.match(/npm prune --omit=dev\b/);
    // The runtime stage copies from the build stage; it neither installs nor builds.
    expect(runtime().filter((i) => i.op === 'RUN').map((i) => i.args).join('\n')).to.not.match(/npm (ci|install|run)/);
    expect(runtime().filter((i) => i.op === 'COPY' && i.args.includes('--from=build')).map((i) => i.args)).to.include('--from=build /src/node_modules ./node_modules');
  });

  it('runs as a non-root user, the `praetor` command as entrypoint, an agent by default', () => {
    const users = runtime().filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users).to.have.length(1);
    expect(users[0]).to.not.match(/^(root|0)(:|$)/);
    const { entrypoint, cmd } = dockerCommandLine(instructions);
    expect(entrypoint).to.deep.equal(['praetor']);
    expect(runtime().some((i) => i.op === 'RUN' && /ln -s \/app\/packages\/registry-server\/bin\/praetor\.js \/usr\/local\/bin\/praetor/.test(i.args))).to.equal(true);
    const config = agentConfig({ where: 'Dockerfile CMD', argv: cmd });
    expect([config.dev, config.clientAddrs]).to.deep.equal([true, ['0.0.0.0']]);
  });

  it('checks health with node itself (no curl in the slim image), through deploy/healthcheck.mjs', () => {
    expect(ops('HEALTHCHECK')).to.have.length(1);
    expect(ops('HEALTHCHECK')[0]).to.match(/CMD \["node", "\/app\/deploy\/healthcheck\.mjs"\]$/);
    expect(ops('COPY')).to.include('deploy/healthcheck.mjs ./deploy/healthcheck.mjs');
  });
});
