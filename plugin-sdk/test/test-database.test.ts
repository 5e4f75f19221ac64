import { createTestDatabase } from '../src/testing/database.js';

describe('createTestDatabase', () => {
  it('gives each caller its own empty PostgreSQL database', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      await a.knex.schema.createTable('probe', (t) => t.integer('n'));
      await a.knex('probe').insert({ n: 1 });
      expect(await a.knex('probe').count({ c: '*' })).toEqual([{ c: '1' }]);
      expect(await b.knex.schema.hasTable('probe')).toBe(false);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});
