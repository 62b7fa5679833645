/**
 * A dashboard's HTTP server (node:http, no framework): `listen()` binds it (127.0.0.1 and a free
 * port by default) and resolves its URL with the token; `close()` ends every event stream and
 * closes every connection. Shared by the live dashboard and the sessions dashboard.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardDefaults } from '../defaults';
import { invalidOption } from '../validate';
import { dashboardHandler, type DashboardControl, type DashboardSource } from './dashboard-http';
import { newToken } from './token';

export interface ServeOptions {
  /** Address to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** The access token. @default 24 random bytes, base64url */
  readonly token?: string;
  /** Stop buttons on the page that call it (a `Stopper` fits); read-only without. @default none */
  readonly control?: DashboardControl;
}

export class DashboardServer {
  readonly token: string;
  private readonly server: Server;
  private address: AddressInfo | undefined;

  constructor(
    private readonly source: DashboardSource & { closeAll(): void },
    private readonly options: ServeOptions,
  ) {
    const port = options.port ?? dashboardDefaults.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidOption('port', 'an integer from 0 to 65535', port);
    if (options.token !== undefined && options.token.length < 16) throw invalidOption('token', 'at least 16 characters long', `${options.token.length} characters`);
    this.token = options.token ?? newToken();
    this.server = createServer(dashboardHandler({ token: this.token, source, control: options.control }));
  }

  /** The page's URL with the token (after `listen()`). */
  get url(): string {
    if (!this.address) throw new Error('the dashboard is not listening yet: call listen() first');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}/?token=${encodeURIComponent(this.token)}`;
  }

  /** The bound port (after `listen()`). */
  get port(): number {
    return this.address?.port ?? 0;
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? dashboardDefaults.port, this.options.host ?? dashboardDefaults.host, () => {
        this.server.off('error', reject);
        this.address = this.server.address() as AddressInfo;
        resolve(this.url);
      });
    });
  }

  close(): Promise<void> {
    this.source.closeAll();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
