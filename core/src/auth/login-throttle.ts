import type { Knex } from 'knex';

export interface ThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  lockSeconds: number;
}

/**
 * Failed-login throttling per account and per address, kept in PostgreSQL so every platform node
 * enforces the same count. Returns the seconds to wait, or 0 when a try is allowed.
 */
export class LoginThrottle {
  constructor(private readonly knex: Knex, private readonly limits: ThrottleLimits) {}

  async retryAfter(email: string, ip: string): Promise<number> {
    const since = new Date(Date.now() - this.limits.lockSeconds * 1000);
    const [account, address] = await Promise.all([
      this.knex('login_failures').where('email', email.toLowerCase()).andWhere('at', '>', since).count({ n: '*' }).max({ last: 'at' }).first(),
      this.knex('login_failures').where('ip', ip).andWhere('at', '>', since).count({ n: '*' }).max({ last: 'at' }).first(),
    ]);
    const wait = (row: { n?: unknown; last?: unknown } | undefined, max: number) => {
      if (!row || Number(row.n) < max || !row.last) return 0;
      return Math.max(1, Math.ceil((new Date(row.last as string).getTime() + this.limits.lockSeconds * 1000 - Date.now()) / 1000));
    };
    return Math.max(wait(account, this.limits.maxFailuresPerAccount), wait(address, this.limits.maxFailuresPerAddress));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await this.knex('login_failures').insert({ email: email.toLowerCase(), ip });
  }

  async clear(email: string): Promise<void> {
    await this.knex('login_failures').where('email', email.toLowerCase()).delete();
  }
}
