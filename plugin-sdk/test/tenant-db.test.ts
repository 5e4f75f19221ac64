import { scopeToTenant } from '../src/tenant-db.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';

const A = '6f1c1f3e-0000-4000-8000-00000000000a';
const B = '6f1c1f3e-0000-4000-8000-00000000000b';
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.knex.schema.createTable('notes', (t) => {
    t.uuid('tenant_id').notNullable();
    t.text('body').notNullable();
    t.timestamp('at').notNullable();
  });
});
afterAll(async () => {
  await database.drop();
});

it('scopes table, insert, raw (named bindings) and fn to one tenant, without an unscoped builder', async () => {
  const a = scopeToTenant(database.knex, A);
  const b = scopeToTenant(database.knex, B);
  await a.insert('notes', { body: 'a1', at: a.fn.now() });
  await b.insert('notes', { body: 'b1', at: b.fn.now() });
  expect((await a.table('notes').select('body')).map((r) => r.body)).toEqual(['a1']);
  const named = await a.raw<{ rows: { body: string }[] }>('SELECT body FROM notes WHERE tenant_id = :tenant_id', {});
  expect(named.rows.map((r) => r.body)).toEqual(['a1']);
  const positional = await b.raw<{ rows: { n: number }[] }>('SELECT count(*)::int AS n FROM notes WHERE tenant_id = ?', [b.tenantId]);
  expect(positional.rows[0]!.n).toBe(1);
  expect('knex' in a).toBe(false);
});

it('keeps a transaction on one connection and one tenant, and rolls it back whole', async () => {
  const a = scopeToTenant(database.knex, A);
  await expect(a.transaction(async (trx) => {
    await trx.insert('notes', { body: 'a2', at: trx.fn.now() });
    const inside = await trx.raw<{ rows: { n: number }[] }>('SELECT count(*)::int AS n FROM notes WHERE tenant_id = :tenant_id', {});
    expect(inside.rows[0]!.n).toBe(2);
    throw new Error('roll back');
  })).rejects.toThrow('roll back');
  expect(await a.table('notes').count({ n: '*' })).toEqual([{ n: '1' }]);
});
