import { Recursors } from '../dns/recursor.js';
import { decodePacket, emptyReply, encodeReply, RD } from '../dns/wire.js';

/** How long the server's DNS may take to answer one relayed question. */
const RELAY_TIMEOUT_MS = 2000;

/**
 * A client agent's DNS interface: it holds no catalog, so each question is passed on, as it
 * came, to the DNS interface of the server the agent is attached to, and the answer is passed
 * back as it came (over the transport the question used). With no server, or no answer from
 * it, the reply is SERVFAIL.
 */
export class DnsRelay {
  constructor(private readonly server: () => string | undefined) {}

  async reply(msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | null> {
    if (msg.length < 12) return null;
    const target = this.server();
    const answer = target ? await new Recursors([target], RELAY_TIMEOUT_MS).forward(msg, transport) : undefined;
    if (answer) return answer;
    const id = msg.readUInt16BE(0);
    const rd = (msg.readUInt16BE(2) & RD) !== 0;
    let question;
    try {
      question = decodePacket(msg).questions?.[0];
    } catch {
      // no question to echo
    }
    return encodeReply({ ...emptyReply(id, rd, question), rcode: 'SERVFAIL' });
  }
}
