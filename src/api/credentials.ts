import type { Transport } from "./http.js";
import type { Credential, CredentialCreate, CredentialUpdate, HealthCheckResult, ListResponse, WorkspaceOptions } from "./types.js";
import { validateCredentialCreate, validateCredentialUpdate, validateId } from "./validate.js";

/** Credentials: stored connections to external trace sources (SPEC §8). */
export interface CredentialsApi {
  /** `GET /workspaces/{ws}/credentials` */
  list(options?: WorkspaceOptions): Promise<ListResponse<Credential>>;
  /** `GET /credentials/{id}`; the config comes back without its secret. */
  get(credentialId: string): Promise<Credential>;
  /** `POST /workspaces/{ws}/credentials`; the server probes the source and schedules the first pull. */
  create(body: CredentialCreate, options?: WorkspaceOptions): Promise<Credential>;
  /** `PUT /credentials/{id}`: replaces the whole config (rotate keys this way). */
  update(credentialId: string, body: CredentialUpdate): Promise<Credential>;
  /** `DELETE /credentials/{id}` */
  delete(credentialId: string): Promise<void>;
  /** `POST /credentials/{id}/health-check`: probes the source; never starts an import. */
  runHealthCheck(credentialId: string): Promise<HealthCheckResult>;
}

export const credentialPath = (id: string) => `/credentials/${encodeURIComponent(validateId(id, "credential-id"))}`;

export function createCredentialsApi(send: Transport, workspacePath: (o?: WorkspaceOptions) => string): CredentialsApi {
  return {
    list: async (options) => (await send<ListResponse<Credential>>({ method: "GET", path: `${workspacePath(options)}/credentials` })).body,
    get: async (id) => (await send<Credential>({ method: "GET", path: credentialPath(id) })).body,
    create: async (body, options) => {
      const path = `${workspacePath(options)}/credentials`;
      return (await send<Credential>({ method: "POST", path, body: validateCredentialCreate(body) })).body;
    },
    update: async (id, body) => {
      const path = credentialPath(id);
      return (await send<Credential>({ method: "PUT", path, body: validateCredentialUpdate(body) })).body;
    },
    delete: async (id) => {
      await send({ method: "DELETE", path: credentialPath(id) });
    },
    runHealthCheck: async (id) => (await send<HealthCheckResult>({ method: "POST", path: `${credentialPath(id)}/health-check` })).body,
  };
}
