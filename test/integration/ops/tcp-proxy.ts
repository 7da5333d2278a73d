import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a real service (the shared PostgreSQL or Redis) that a test can take down and
 * bring back, so that an outage is played without ever stopping the shared service: `down()` cuts
 * every connection and refuses new ones (as a crashed server would), `up()` accepts again.
 */
export class TcpProxy {
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  down(): void {
    this.refusing = true;
    for (const s of this.sockets) s.destroy();
  }

  up(): void {
    this.refusing = false;
  }

  /** A URL of the target with its port replaced by the proxy's. */
  url(target: string): string {
    const url = new URL(target);
    url.port = String(this.port);
    url.hostname = '127.0.0.1';
    return url.toString();
  }

  async stop(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
