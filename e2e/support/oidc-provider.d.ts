// oidc-provider 9 ships no type declarations (and @types/oidc-provider is not
// installed): the little the e2e test provider uses, loosely typed.
declare module "oidc-provider" {
  import type { IncomingMessage, Server, ServerResponse } from "node:http";

  /* eslint-disable @typescript-eslint/no-explicit-any */
  export type KoaContextWithOIDC = {
    path: string;
    method: string;
    status: number;
    body: unknown;
    type: string;
    respond: boolean;
    req: IncomingMessage;
    res: ServerResponse;
    throw(status: number, message: string): never;
    oidc: any;
  };
  export type Configuration = Record<string, any>;
  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    use(middleware: Middleware): void;
    listen(port: number, host: string, callback: () => void): Server;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; prompt: { name: string } }>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    Grant: any;
  }
}
