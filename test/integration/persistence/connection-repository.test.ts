import { ConnectionRepository, DatabasePool } from '@switchboard/persistence';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/** The connections table through plain SQL, with the record shape the services use. */
describe('ConnectionRepository (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: DatabasePool;
  let repository: ConnectionRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new DatabasePool(db.url, 2);
    repository = new ConnectionRepository(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const newConnection = (providerType: string, name: string) => ({
    providerType,
    name,
    credentials: 'v1:envelope',
    webhookSecrets: 'v1:secrets',
    keyId: 'k1',
    settings: { timeZone: 'America/New_York', sync: { batchSize: 5 } },
    features: { webhooks: true },
    ipAllowlist: ['10.0.0.0/8'],
    mode: 'live' as const,
  });

  it('creates, reads, lists, changes only the fields given, and deletes', async () => {
    const created = await repository.create(newConnection('ringba', 'first'));
    expect(created).toMatchObject({
      providerType: 'ringba',
      name: 'first',
      webhookSecrets: 'v1:secrets',
      keyId: 'k1',
      settings: { timeZone: 'America/New_York', sync: { batchSize: 5 } },
      features: { webhooks: true },
      ipAllowlist: ['10.0.0.0/8'],
      mode: 'live',
      isActive: true,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await repository.findById(created.id)).toEqual(created);

    const other = await repository.create(newConnection('trackdrive', 'second'));
    expect((await repository.list()).map((c) => c.name)).toEqual(['first', 'second']);
    expect((await repository.list({ providerType: 'trackdrive' })).map((c) => c.id)).toEqual([other.id]);

    const changed = await repository.update(created.id, {
      name: 'renamed',
      isActive: false,
      settings: { timeZone: 'UTC' },
      ipAllowlist: [],
      mode: 'shadow',
    });
    expect(changed).toMatchObject({
      name: 'renamed',
      isActive: false,
      settings: { timeZone: 'UTC' },
      ipAllowlist: [],
      mode: 'shadow',
      credentials: 'v1:envelope',
      webhookSecrets: 'v1:secrets',
    });
    expect(changed.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect((await repository.list({ activeOnly: true })).map((c) => c.id)).toEqual([other.id]);

    await repository.delete(created.id);
    expect(await repository.findById(created.id)).toBeNull();
    await expect(repository.update(created.id, { name: 'gone' })).rejects.toThrow(/no connection/);
  });
});
