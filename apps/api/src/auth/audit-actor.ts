import type { AuditEntry } from '@switchboard/persistence';
import type { Principal } from './api-key.service.js';

/** What the auth guard leaves on a request, and the request id. */
export interface AuditedRequest {
  id?: string;
  principal?: Principal;
}

/** The audit entry fields that describe who made an API request. */
export function auditContext(request: AuditedRequest): Pick<AuditEntry, 'actor' | 'requestId'> {
  return {
    actor: { kind: request.principal?.kind ?? 'open', keyId: request.principal?.keyId ?? null },
    requestId: request.id ?? null,
  };
}
