import { expect } from 'chai';
import { announcedUrl, checkAnnouncement, joinUrl, memberView, splitHostPort, type Member } from './member.js';

describe('membership addresses and views', () => {
  it('splits host:port, [v6]:port and bare hosts', () => {
    expect(splitHostPort('10.0.0.1:8500')).to.deep.equal({ host: '10.0.0.1', port: 8500 });
    expect(splitHostPort('[::1]:8501')).to.deep.equal({ host: '::1', port: 8501 });
    expect(splitHostPort('::1')).to.deep.equal({ host: '::1' });
    expect(splitHostPort('agent.local')).to.deep.equal({ host: 'agent.local' });
    expect(() => splitHostPort('host:http')).to.throw('invalid port');
  });

  it('a join address is an HTTP address, port 8500 when absent', () => {
    expect(joinUrl('10.0.0.1')).to.equal('http://10.0.0.1:8500');
    expect(joinUrl('10.0.0.1:9000')).to.equal('http://10.0.0.1:9000');
    expect(joinUrl('http://10.0.0.1:9000/')).to.equal('http://10.0.0.1:9000');
    expect(joinUrl('::1')).to.equal('http://[::1]:8500');
    expect(joinUrl('[::1]:9')).to.equal('http://[::1]:9');
    expect(() => joinUrl(':1')).to.throw('invalid address');
    expect(() => joinUrl('h:70000')).to.throw('invalid address');
  });

  it('reaches an announcing agent on the listen address matching its source, else via a wildcard, else the first', () => {
    expect(announcedUrl(['127.0.0.1:1', '10.0.0.5:2'], '10.0.0.5')).to.equal('http://10.0.0.5:2');
    expect(announcedUrl(['127.0.0.1:1', '10.0.0.5:2'], '::ffff:10.0.0.5')).to.equal('http://10.0.0.5:2');
    expect(announcedUrl(['0.0.0.0:8500'], '192.168.1.9')).to.equal('http://192.168.1.9:8500');
    expect(announcedUrl(['[::]:8500'], '::1')).to.equal('http://[::1]:8500');
    expect(announcedUrl(['10.1.1.1:7'], '10.2.2.2')).to.equal('http://10.1.1.1:7');
    expect(() => announcedUrl([], '10.2.2.2')).to.throw('no HTTP address');
  });

  it('shows a member in /v1/agent/members\' shape with serf\'s status numbers', () => {
    const m: Member = { name: 'n', id: 'i', datacenter: 'dc1', nodeAddr: '10.0.0.1', meta: {}, tags: { role: 'consul' }, url: 'http://[::1]:8600', status: 'failed' };
    expect(memberView(m)).to.deep.include({ Name: 'n', Addr: '::1', Port: 8600, Status: 4, Tags: { role: 'consul' }, ProtocolCur: 2, DelegateCur: 4 });
    expect(memberView({ ...m, status: 'left' }).Status).to.equal(3);
  });

  it('checks announcements', () => {
    const ok = { Name: 'n', Datacenter: 'dc1', Addr: '127.0.0.1', Listen: ['127.0.0.1:1'] };
    expect(checkAnnouncement(ok)).to.deep.equal({ ...ok, ID: '', Tags: {}, Meta: {}, Status: 'alive' });
    expect(() => checkAnnouncement({ ...ok, Name: '' })).to.throw('without Name');
    expect(() => checkAnnouncement({ ...ok, Listen: [] })).to.throw('without Listen');
    expect(() => checkAnnouncement({ ...ok, Status: 'gone' as 'left' })).to.throw('invalid Status');
  });
});
