import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@switchboard/core';
import { ApiKeyService, type Principal, type Scope } from './api-key.service.js';

export const REQUIRED_SCOPE = 'switchboard:scope';
/** Marks a route or controller as needing a scope ("read" by default for guarded controllers). */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

/** Reads `Authorization: Bearer <token>` (or `X-Api-Key`) and checks the route's scope. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const scope = this.reflector.getAllAndOverride<Scope>(REQUIRED_SCOPE, targets) ?? 'read';
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const principal = await this.keys.authenticate(presentedToken(request.headers));
    if (!principal) {
      throw new UnauthorizedException({
        error: 'unauthorized',
        message: 'send an API key or the admin token as "Authorization: Bearer <key>"',
      });
    }
    // Recorded before the scope check, so the request log names the caller of a 403 too.
    request.principal = principal;
    if (!principal.scopes.includes(scope)) {
      throw new ForbiddenException({ error: 'forbidden', message: `this key lacks the "${scope}" scope` });
    }
    return true;
  }
}

export function presentedToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['authorization'];
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}
