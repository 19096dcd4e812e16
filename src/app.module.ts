import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApiHandler } from './api/api-handler';
import { HealthController } from './api/health.controller';
import { OpenApiController } from './api/openapi.controller';
import { PodLogs } from './api/pod-log';
import { ResourceRoutes } from './api/resource.routes';
import { StatusErrorFilter } from './api/status-error.filter';
import { Cluster } from './cluster';

/** The HTTP face of a cluster: every transport's controllers over one assembled Cluster. */
@Module({})
export class AppModule {
  static forCluster(cluster: Cluster): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: Cluster, useValue: cluster },
        {
          provide: ApiHandler,
          useFactory: () => {
            const logs = new PodLogs(cluster.runtime, cluster.clock);
            return new ApiHandler(cluster.registry, cluster.discovery, cluster.decoder, cluster.renderer, cluster.clock, { '/pods/log': (request) => logs.serve(request) });
          },
        },
        ResourceRoutes,
        { provide: APP_FILTER, useClass: StatusErrorFilter },
      ],
    };
  }
}
