import type { Knex } from 'knex';
import type { AuditEntry, AuditWriter, KernelHooks } from '@oneservice/plugin-sdk';
import type { Logger } from 'pino';

/** Writes the audit log, then tells hook subscribers (e.g. a SIEM exporter plugin). */
export function createAuditWriter(knex: Knex, hooks: KernelHooks, logger: Logger): AuditWriter {
  return {
    async record(entry: AuditEntry) {
      await knex('audit_log').insert({
        tenant_id: entry.tenantId, actor_id: entry.actorId, actor_email: entry.actorEmail, action: entry.action,
        resource: entry.resource, resource_id: entry.resourceId ?? null, outcome: entry.outcome, ip: entry.ip ?? null,
        details: JSON.stringify(entry.details ?? {}),
      });
      hooks.audited.promise(entry).catch((error: unknown) => logger.warn({ err: error }, 'an audit hook failed'));
    },
  };
}
