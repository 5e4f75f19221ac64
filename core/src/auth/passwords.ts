import { hash, verify } from '@node-rs/argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id (the @node-rs/argon2 default) with the configured memory and time cost. */
export function createPasswordHasher(memoryCost: number, timeCost: number): PasswordHasher {
  return {
    hash: (password) => hash(password, { memoryCost, timeCost, parallelism: 1 }),
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
  };
}
