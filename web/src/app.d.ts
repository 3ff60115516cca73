// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Me } from '$lib/types';

declare global {
  namespace App {
    interface Locals {
      me: Me;
    }
    interface Error {
      message: string;
      code?: string;
      requestId?: string;
    }
  }
  // Set by server/main.ts: the API's fetch, so server-side requests to /api/* stay in-process.
  var __catalogueApiFetch: ((req: Request) => Response | Promise<Response>) | undefined;
}

export {};
