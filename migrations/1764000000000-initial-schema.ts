import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kine-style layout: `objects` holds each live object at its latest revision; `changes` is the
 * append-only log (one row per write, revision = the global resourceVersion) that watches resume
 * from and replicas tail. Plain portable SQL so the PostgreSQL backend runs the same migration.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE objects (
      key VARCHAR(1024) NOT NULL PRIMARY KEY,
      api_group VARCHAR(253) NOT NULL,
      resource VARCHAR(253) NOT NULL,
      namespace VARCHAR(253) NOT NULL,
      name VARCHAR(253) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      resource_version BIGINT NOT NULL,
      value TEXT NOT NULL
    )`);
    await runner.query(`CREATE INDEX objects_resource ON objects (api_group, resource, namespace)`);
    await runner.query(`CREATE TABLE changes (
      revision BIGINT NOT NULL PRIMARY KEY,
      key VARCHAR(1024) NOT NULL,
      type VARCHAR(16) NOT NULL,
      prev_revision BIGINT NOT NULL,
      value TEXT NOT NULL
    )`);
    await runner.query(`CREATE INDEX changes_key ON changes (key)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE changes`);
    await runner.query(`DROP TABLE objects`);
  }
}
