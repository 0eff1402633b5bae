import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server of the process (the operator port, the pages): its port, and a close that drops idle sockets. */
export interface ListeningServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts `server` on `port` (0: any free one) and `host` (every interface by default); rejects when the port is taken.
 * Its close ends the keep-alive connections too, so a shutdown never waits for an idle browser or probe.
 */
export function listenOn(server: Server, port: number, host = '0.0.0.0'): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
