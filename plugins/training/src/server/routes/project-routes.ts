import { listQuerySchema, pageSchema, type PluginContext } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { idParams, projectSchema, projectView } from '../api-shapes.js';
import { createProject, deleteProject, getProject, listProjects, updateProject } from '../project-store.js';

const projectBody = z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).nullish() });

export function registerProjectRoutes(ctx: PluginContext): void {
  const tags = ['training'];
  ctx.route({
    method: 'GET', path: '/projects', permission: 'runs:read', summary: 'List projects', tags,
    schema: { query: listQuerySchema(['name', 'created_at']), response: pageSchema(projectSchema) },
    handler: async ({ db, query }) => {
      const { rows, total } = await listProjects(db, query);
      return { items: rows.map(projectView), total, page: query.page, page_size: query.page_size };
    },
  });
  ctx.route({
    method: 'POST', path: '/projects', permission: 'runs:write', status: 201, summary: 'Create a project', tags,
    schema: { body: projectBody, response: projectSchema },
    handler: async ({ db, body }) => projectView(await createProject(db, body)),
  });
  ctx.route({
    method: 'GET', path: '/projects/:id', permission: 'runs:read', summary: 'Get a project', tags,
    schema: { params: idParams, response: projectSchema },
    handler: async ({ db, params }) => projectView(await getProject(db, params.id)),
  });
  ctx.route({
    method: 'PATCH', path: '/projects/:id', permission: 'runs:write', summary: 'Rename or describe a project', tags,
    schema: { params: idParams, body: projectBody.partial(), response: projectSchema },
    handler: async ({ db, params, body }) => projectView(await updateProject(db, params.id, body)),
  });
  ctx.route({
    method: 'DELETE', path: '/projects/:id', permission: 'runs:delete', summary: 'Delete an empty project', tags,
    schema: { params: idParams },
    handler: async ({ db, params, principal, ip }) => {
      const project = await deleteProject(db, params.id);
      await ctx.audit.record({
        tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'project.delete',
        resource: 'project', resourceId: project.id, outcome: 'success', ip, details: { name: project.name },
      });
    },
  });
}
