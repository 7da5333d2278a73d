import { Injectable } from '@nestjs/common';
import type { ConnectionMode, Prisma, ProviderConnection } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';

export type ConnectionRecord = ProviderConnection;

export interface NewConnection {
  providerType: string;
  name: string;
  credentials: string;
  webhookSecrets: string;
  keyId: string;
  settings: Record<string, unknown>;
  features: Record<string, unknown>;
  ipAllowlist: string[];
  mode: ConnectionMode;
}

/** Storage of provider connections. Values in `credentials` and `webhookSecrets` are encrypted envelopes. */
@Injectable()
export class ConnectionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: NewConnection): Promise<ConnectionRecord> {
    return this.prisma.providerConnection.create({
      data: {
        ...data,
        settings: data.settings as Prisma.InputJsonValue,
        features: data.features as Prisma.InputJsonValue,
      },
    });
  }

  findById(id: string): Promise<ConnectionRecord | null> {
    return this.prisma.providerConnection.findUnique({ where: { id } });
  }

  list(filter: { providerType?: string; activeOnly?: boolean } = {}): Promise<ConnectionRecord[]> {
    return this.prisma.providerConnection.findMany({
      where: { providerType: filter.providerType, isActive: filter.activeOnly ? true : undefined },
      orderBy: { createdAt: 'asc' },
    });
  }

  update(
    id: string,
    data: Partial<
      Pick<
        NewConnection,
        'name' | 'credentials' | 'webhookSecrets' | 'keyId' | 'settings' | 'ipAllowlist' | 'mode'
      >
    > & {
      isActive?: boolean;
    },
  ): Promise<ConnectionRecord> {
    return this.prisma.providerConnection.update({
      where: { id },
      data: { ...data, settings: data.settings as Prisma.InputJsonValue | undefined, updatedAt: new Date() },
    });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.providerConnection.delete({ where: { id } });
  }
}
