export default async function globalTeardown() {
  await globalThis.__ONESERVICE_TEST_PG__?.stop();
}
